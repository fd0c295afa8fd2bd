package io.coedge;

import static io.coedge.Eventually.await;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

/** A blocking HTTP client for tests, so that each test reads top to bottom like a specification. */
public final class Http implements AutoCloseable {

  private final Vertx vertx = Vertx.vertx();
  private final WebClient client;
  private final int port;

  public Http(int port) {
    this(port, 64);
  }

  /** A client with up to {@code connections} requests in flight (one per keep-alive connection). */
  public Http(int port, int connections) {
    this.port = port;
    this.client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port),
        new PoolOptions().setHttp1MaxSize(connections));
  }

  public int port() {
    return port;
  }

  public HttpResponse<Buffer> get(String path) {
    return await(client.get(path).send());
  }

  public HttpResponse<Buffer> post(String path, JsonObject body) {
    return await(client.post(path).putHeader("content-type", "application/json").sendBuffer(body.toBuffer()));
  }

  public HttpResponse<Buffer> post(String path, Buffer body, MultiMap headers) {
    return await(client.post(path).putHeaders(headers).sendBuffer(body));
  }

  public Future<HttpResponse<Buffer>> postAsync(String path, JsonObject body) {
    return client.post(path).putHeader("content-type", "application/json").sendBuffer(body.toBuffer());
  }

  public Future<HttpResponse<Buffer>> postAsync(String path, Buffer body, MultiMap headers) {
    return client.post(path).putHeaders(headers).sendBuffer(body);
  }

  @Override
  public void close() {
    client.close();
    await(vertx.close());
  }
}
