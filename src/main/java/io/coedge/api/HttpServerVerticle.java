package io.coedge.api;

import io.coedge.config.HttpConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** One HTTP(S) listener; deployed once per event loop, all instances sharing the port. */
public final class HttpServerVerticle extends VerticleBase {

  private final HttpConfig config;
  private final Consumer<Router> routes;
  private final HttpServerOptions options;
  private final InFlight inFlight;
  private final long lingerMs;
  private HttpServer server;
  private SlowSenderGuard guard;

  /**
   * @param options the listener's options, from {@link #options(HttpConfig)} with TLS applied by the security setup
   *                when HTTPS is on (copied; not changed here)
   */
  public HttpServerVerticle(HttpConfig config, Consumer<Router> routes, HttpServerOptions options) {
    this(config, routes, options, new InFlight(), 0);
  }

  /**
   * As above, counting admitted requests in {@code inFlight} (shared by the instances) so a stop can drain them; at
   * {@link #shutdown}, HTTP/1.x connections stay open {@code lingerMs} after the listener closed
   * ({@link ShutdownLinger}).
   */
  public HttpServerVerticle(HttpConfig config, Consumer<Router> routes, HttpServerOptions options,
      InFlight inFlight, long lingerMs) {
    this.config = config;
    this.routes = routes;
    this.options = new HttpServerOptions(options);
    this.inFlight = inFlight;
    this.lingerMs = lingerMs;
  }

  /** Plain-HTTP options for {@code config}: interface, port, idle timeout and the input {@link #limits}. */
  public static HttpServerOptions options(HttpConfig config) {
    return limits(new HttpServerOptions()
        .setHost(config.host())
        .setPort(config.port())
        .setIdleTimeout(config.idleTimeoutSeconds())
        .setTcpNoDelay(true)
        // Accept-Encoding gzip/deflate answered; fast level, and small answers are not worth compressing
        .setCompressionSupported(true).setCompressionLevel(1).setCompressionContentSizeThreshold(1024), config);
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    routes.accept(router);
    router.route().failureHandler(Failures::handle);
    for (int status : new int[] {400, 404, 405, 413, 415}) {
      router.errorHandler(status, Failures::handle);
    }
    guard = new SlowSenderGuard(config.requestTimeoutSeconds(), config.idleTimeoutSeconds());
    guard.start(vertx);
    server = vertx.createHttpServer(options).connectionHandler(c -> {
          guard.connected(c);
          ShutdownLinger.install(c, lingerMs);
        })
        .invalidRequestHandler(Failures::invalidRequest)
        .requestHandler(req -> {
          if (!inFlight.admit(req)) {
            return;
          }
          guard.request(req);
          router.handle(req);
        });
    return server.listen();
  }

  @Override
  public Future<?> stop() {
    guard.stop(vertx);
    return Future.succeededFuture();
  }

  /** Input limits (DESIGN §8): header and request-line sizes, form decoding, HTTP/2 stream and header settings. */
  static HttpServerOptions limits(HttpServerOptions options, HttpConfig config) {
    return options
        .setMaxHeaderSize(config.maxHeaderBytes())
        .setMaxInitialLineLength(config.maxInitialLineBytes())
        // No endpoint takes a form; these only bound what the decoder would buffer if one were sent anyway.
        .setMaxFormAttributeSize(1024)
        .setMaxFormFields(16)
        .setMaxFormBufferedBytes(4096)
        // Cleartext HTTP/2 (prior knowledge or upgrade) delays creating the connection until the protocol is known,
        // which hides a slow first request head from SlowSenderGuard; HTTP/2 stays available over TLS with ALPN.
        .setHttp2ClearTextEnabled(false)
        .setInitialSettings(new Http2Settings()
            .setMaxConcurrentStreams(config.h2MaxStreams())
            .setMaxHeaderListSize(config.h2MaxHeaderListBytes()));
  }

  /**
   * Stops accepting connections; open ones close once their current answer is sent (HTTP/1.x ones no sooner than
   * the linger), or at the latest {@code timeoutMs} after the linger.
   */
  public Future<Void> shutdown(long timeoutMs) {
    return server == null ? Future.succeededFuture()
        : server.shutdown(lingerMs + timeoutMs, TimeUnit.MILLISECONDS);
  }

  /** The bound port (useful when configured as 0). */
  public int port() {
    return server.actualPort();
  }

  /** The listening server (a certificate reload updates the shared port through any instance). */
  public HttpServer server() {
    return server;
  }
}
