package io.coedge;

import io.coedge.config.CoedgeConfig;
import io.coedge.config.ConfigSource;
import java.util.HashMap;
import java.util.Map;

/** Starts real gateways for tests: random HTTP port, loopback, the committed test models. */
public final class TestNodes {

  public static final String TEST_MODELS = "src/test/resources/test-models";
  public static final String SHIPPED_MODELS = "models";

  private TestNodes() {
  }

  /** A standalone node without Hazelcast, over {@code modelsDir}, with extra key overrides. */
  public static Gateway start(String modelsDir, Map<String, String> overrides) throws Exception {
    Map<String, String> values = new HashMap<>();
    values.put("http.port", "0");
    values.put("http.host", "127.0.0.1");
    values.put("node.id", "test-node");
    values.put("cluster.enabled", "false");
    values.put("inference.models-dir", modelsDir);
    values.putAll(overrides);
    CoedgeConfig config = CoedgeConfig.from(ConfigSource.of(values));
    return Eventually.await(Gateway.start(config));
  }

  public static void stop(Gateway g) throws Exception {
    if (g != null) {
      Eventually.await(g.close());
    }
  }
}
