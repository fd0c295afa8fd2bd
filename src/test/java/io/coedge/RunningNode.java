package io.coedge;

import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One standalone node (no Hazelcast) over a model folder for a whole test class, with a blocking HTTP client:
 * {@code @RegisterExtension static final RunningNode NODE = new RunningNode(TestNodes.TEST_MODELS);}
 */
public final class RunningNode implements BeforeAllCallback, AfterAllCallback {

  private final String models;
  private final Map<String, String> overrides;
  private Gateway gateway;
  private Http http;

  public RunningNode(String models) {
    this(models, Map.of());
  }

  public RunningNode(String models, Map<String, String> overrides) {
    this.models = models;
    this.overrides = overrides;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    gateway = TestNodes.start(models, overrides);
    http = new Http(gateway.port());
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    if (http != null) {
      http.close();
    }
    TestNodes.stop(gateway);
  }

  public Gateway gateway() {
    return gateway;
  }

  public Http http() {
    return http;
  }
}
