package io.coedge.api.grpc;

import io.coedge.RunningNode;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** A {@link RunningNode} with a gRPC client on its gRPC port, for a whole test class. */
public final class GrpcNode implements BeforeAllCallback, AfterAllCallback {

  private final RunningNode node;
  private GrpcTestClient client;

  public GrpcNode(String models, Map<String, String> overrides) {
    this.node = new RunningNode(models, overrides);
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    node.beforeAll(context);
    client = new GrpcTestClient(node.gateway().grpcPort());
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    if (client != null) {
      client.close();
    }
    node.afterAll(context);
  }

  public RunningNode node() {
    return node;
  }

  public GrpcTestClient grpc() {
    return client;
  }
}
