package io.coedge.scaling;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

/**
 * Asks a node to mark itself draining ({@code POST /v2/cluster/drain}, cluster scope) before it is stopped, so
 * peers stop sending it new work while it finishes what it has.
 */
public final class DrainClient implements AutoCloseable {

  public static final String PATH = "/v2/cluster/drain";
  private static final long TIMEOUT_MS = 15_000; // a node busy enough to leave may answer slowly

  private final WebClient client;
  private final String apiKey;

  /** {@code ssl}: null for plain HTTP nodes; {@code apiKey}: the node key peers accept, or null. */
  public DrainClient(Vertx vertx, ClientSSLOptions ssl, String apiKey) {
    this.client = WebClient.create(vertx, new WebClientOptions().setConnectTimeout(2_000).setUserAgent("coedge"));
    if (ssl != null) {
      client.updateSSLOptions(ssl);
    }
    this.apiKey = apiKey;
  }

  /** Completes once the node answered 200 (it then waited a publish interval for peers to see the flag). */
  public Future<Void> drain(String nodeUrl) {
    HttpRequest<?> req = client.postAbs(nodeUrl + PATH).timeout(TIMEOUT_MS);
    if (apiKey != null) {
      req.putHeader("x-api-key", apiKey);
    }
    return req.send().compose(r -> r.statusCode() == 200 ? Future.<Void>succeededFuture()
        : Future.failedFuture("drain of " + nodeUrl + " answered " + r.statusCode()));
  }

  @Override
  public void close() {
    client.close();
  }
}
