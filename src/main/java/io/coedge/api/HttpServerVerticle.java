package io.coedge.api;

import io.coedge.config.HttpConfig;
import io.coedge.security.TlsMaterial;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.util.function.Consumer;

/** One HTTP(S) listener; deployed once per event loop, all instances sharing the port. */
public final class HttpServerVerticle extends VerticleBase {

  private final HttpConfig config;
  private final Consumer<Router> routes;
  private final TlsMaterial tls;
  private HttpServer server;

  public HttpServerVerticle(HttpConfig config, Consumer<Router> routes) {
    this(config, routes, null);
  }

  /** @param tls the certificate to serve HTTPS with (HTTP/2 and HTTP/1.1 over ALPN), null = plain HTTP */
  public HttpServerVerticle(HttpConfig config, Consumer<Router> routes, TlsMaterial tls) {
    this.config = config;
    this.routes = routes;
    this.tls = tls;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    routes.accept(router);
    router.route().failureHandler(Failures::handle);
    for (int status : new int[] {400, 404, 405, 413, 415}) {
      router.errorHandler(status, Failures::handle);
    }
    HttpServerOptions options = new HttpServerOptions()
        .setHost(config.host())
        .setPort(config.port())
        .setIdleTimeout(config.idleTimeoutSeconds())
        .setTcpNoDelay(true)
        .setCompressionSupported(false);
    if (tls != null) {
      tls.applyTo(options);
    }
    server = vertx.createHttpServer(options).requestHandler(router);
    return server.listen();
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
