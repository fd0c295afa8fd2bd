package io.coedge.routing;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.ClientSSLOptions;

/**
 * Calls the v2 endpoint of a cloud node: forwards the client's request body and binary-extension header
 * unchanged, marked with its hop count ({@value #HOP_HEADER}) and carrying the remaining deadline
 * ({@value #TIMEOUT_HEADER}, µs). Each call, waiting for a pooled connection included, is bounded as a whole by its
 * attempt's timeout and reset when that passes ({@link BoundedExchange}).
 */
public final class RemoteClient implements Remote {

  static final String HOP_HEADER = Hop.HEADER;
  static final String TIMEOUT_HEADER = Hop.TIMEOUT_HEADER;
  static final String LENGTH_HEADER = "inference-header-content-length";

  private final Vertx vertx;
  private final HttpClientAgent client;
  private final String apiKey;
  private final boolean httpsOnly;

  public RemoteClient(Vertx vertx, int connectionsPerNode) {
    this(vertx, connectionsPerNode, null, null);
  }

  /**
   * @param ssl    for {@code https://} peers: the node's client certificate and the trusted CA (see
   *               {@code security.TlsMaterial#clientOptions}); null = plain HTTP node, Vert.x defaults. When set,
   *               peers are called over HTTPS only: a request body never leaves a TLS node in plain text.
   * @param apiKey sent as {@code X-API-Key} on every call (the peers give it scope cluster), or null
   */
  public RemoteClient(Vertx vertx, int connectionsPerNode, ClientSSLOptions ssl, String apiKey) {
    this.httpsOnly = ssl != null;
    this.apiKey = apiKey;
    this.vertx = vertx;
    this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setConnectTimeout(2_000),
        new PoolOptions().setHttp1MaxSize(connectionsPerNode));
    if (ssl != null) {
      client.updateSSLOptions(ssl);
    }
  }

  /** Replaces the TLS options for new connections (a reloaded certificate); open connections are kept. */
  public Future<Boolean> updateSSLOptions(ClientSSLOptions ssl) {
    return client.updateSSLOptions(ssl, true);
  }

  /**
   * POSTs {@code body} to {@code baseUrl/v2/models/{model}/versions/{version}/infer}.
   *
   * @param jsonLength the client's {@code Inference-Header-Content-Length}, or null
   * @param timeoutUs  the remaining deadline (also the HTTP timeout, at least 1 ms)
   * @return the answer, or a failed future with a {@link RemoteFailure}
   */
  @Override
  public Future<RemoteAnswer> infer(String baseUrl, String model, String version, Buffer body, String contentType,
      String jsonLength, long timeoutUs) {
    return infer(baseUrl, model, version, body, contentType, jsonLength, timeoutUs, timeoutUs, null);
  }

  /** As above, the HTTP timeout {@code attemptUs}, the deadline header {@code deadlineUs}, a traceparent or null. */
  @Override
  public Future<RemoteAnswer> infer(String baseUrl, String model, String version, Buffer body, String contentType,
      String jsonLength, long deadlineUs, long attemptUs, String traceparent) {
    return infer(baseUrl, model, version, body, contentType, jsonLength, deadlineUs, attemptUs, traceparent, 1,
        deadlineUs);
  }

  /** As above, marked as having made {@code hops} hops, told the deadline {@code toldUs} (0 = no header). */
  @Override
  public Future<RemoteAnswer> infer(String baseUrl, String model, String version, Buffer body, String contentType,
      String jsonLength, long deadlineUs, long attemptUs, String traceparent, int hops, long toldUs) {
    long timeoutUs = Math.min(deadlineUs, attemptUs);
    String url = strip(baseUrl) + "/v2/models/" + model + "/versions/" + version + "/infer";
    if (refused(baseUrl)) {
      return Future.failedFuture(plainRefused(baseUrl));
    }
    RequestOptions req;
    try {
      req = request(HttpMethod.POST, url).putHeader(HOP_HEADER, Integer.toString(hops))
          .putHeader("content-type", contentType == null ? "application/json" : contentType);
    } catch (RuntimeException e) {
      return Future.failedFuture(new RemoteFailure(0, "not calling " + url + ": " + e.getMessage()));
    }
    if (toldUs > 0) {
      req.putHeader(TIMEOUT_HEADER, Long.toString(toldUs));
    }
    if (jsonLength != null) {
      req.putHeader(LENGTH_HEADER, jsonLength);
    }
    if (traceparent != null) {
      req.putHeader("traceparent", traceparent);
    }
    return BoundedExchange.send(vertx, client, req, body, Math.max(1, timeoutUs / 1000)).transform(ar -> {
      if (ar.failed()) {
        return Future.failedFuture(new RemoteFailure(0, "no answer from " + baseUrl + ": " + ar.cause().getMessage()));
      }
      var r = ar.result().response();
      if (r.statusCode() != 200) {
        return Future.failedFuture(new RemoteFailure(r.statusCode(), baseUrl + " answered " + r.statusCode()));
      }
      return Future.succeededFuture(new RemoteAnswer(r.getHeader("coedge-served-by"), model, version,
          ar.result().body(), r.getHeader("content-type"), r.getHeader(LENGTH_HEADER),
          number(r.getHeader("coedge-queue-us")), number(r.getHeader("coedge-compute-us")),
          r.getHeader(Hop.PATH_HEADER)));
    });
  }

  /** Times {@code GET /v2/health/live}: the link's round trip with almost no bytes, µs. */
  @Override
  public Future<Long> probe(String baseUrl, long timeoutMs) {
    return timed(baseUrl, HttpMethod.GET, "/v2/health/live", null, timeoutMs);
  }

  /** Times {@code POST} of {@code bytes} zero bytes to {@value Hop#PROBE_PATH}: round trip plus upload, µs. */
  @Override
  public Future<Long> probeTransfer(String baseUrl, int bytes, long timeoutMs) {
    return timed(baseUrl, HttpMethod.POST, Hop.PROBE_PATH, Buffer.buffer(new byte[bytes]), timeoutMs);
  }

  private Future<Long> timed(String baseUrl, HttpMethod method, String path, Buffer body, long timeoutMs) {
    if (refused(baseUrl)) {
      return Future.failedFuture(plainRefused(baseUrl));
    }
    RequestOptions req;
    try {
      req = request(method, strip(baseUrl) + path);
    } catch (RuntimeException e) {
      return Future.failedFuture(new RemoteFailure(0, "not probing " + baseUrl + ": " + e.getMessage()));
    }
    long t0 = System.nanoTime();
    return BoundedExchange.send(vertx, client, req, body, timeoutMs)
        .compose(r -> r.response().statusCode() == 200 ? Future.succeededFuture((System.nanoTime() - t0) / 1000)
            : Future.failedFuture(new RemoteFailure(r.response().statusCode(), baseUrl + " probe: "
                + r.response().statusCode())));
  }

  /** A request to {@code url} with this node's user agent and credential; throws on a malformed URL. */
  private RequestOptions request(HttpMethod method, String url) {
    RequestOptions req = new RequestOptions().setMethod(method).setAbsoluteURI(url).putHeader("user-agent", "coedge");
    return apiKey == null ? req : req.putHeader("x-api-key", apiKey);
  }

  private boolean refused(String baseUrl) {
    return httpsOnly && !baseUrl.regionMatches(true, 0, "https://", 0, 8);
  }

  private static RemoteFailure plainRefused(String baseUrl) {
    return new RemoteFailure(0, "not calling " + baseUrl + ": this node uses TLS and calls peers over https only");
  }

  private static String strip(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  private static long number(String header) {
    if (header == null) {
      return 0;
    }
    try {
      return Math.max(0, Long.parseLong(header.trim()));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  public void close() {
    client.close();
  }
}
