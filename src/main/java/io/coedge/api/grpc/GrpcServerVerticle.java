package io.coedge.api.grpc;

import io.coedge.api.Failures;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerOptions;
import java.util.Locale;

/**
 * The gRPC listener (one instance per event loop, sharing the port): HTTP/2 in clear text (prior knowledge) or, with
 * TLS, the REST listener's certificates, ALPN and client-certificate request. A request that is not gRPC gets a 415
 * naming the REST port instead of an empty answer; messages past {@code maxMessageBytes} end the call with
 * RESOURCE_EXHAUSTED; the client's {@code grpc-timeout} ends an unanswered call with DEADLINE_EXCEEDED.
 */
public final class GrpcServerVerticle extends VerticleBase {

  private final GrpcInferenceService service;
  private final HttpServerOptions options;
  private final long maxMessageBytes;
  private HttpServer server;

  /** @param options the listener's options (port, limits and TLS applied); copied, not changed */
  public GrpcServerVerticle(GrpcInferenceService service, HttpServerOptions options, long maxMessageBytes) {
    this.service = service;
    this.options = new HttpServerOptions(options);
    this.maxMessageBytes = maxMessageBytes;
  }

  /** The REST listener's options turned into the gRPC one's: {@code port}, h2c unless TLS, no HTTP compression. */
  public static HttpServerOptions options(HttpServerOptions rest, int port) {
    return new HttpServerOptions(rest).setPort(port).setHttp2ClearTextEnabled(!rest.isSsl())
        .setCompressionSupported(false);
  }

  @Override
  public Future<?> start() {
    GrpcServer grpc = GrpcServer.server(vertx, new GrpcServerOptions().setMaxMessageSize(maxMessageBytes)
        .setScheduleDeadlineAutomatically(true));
    service.bind(grpc);
    server = vertx.createHttpServer(options).requestHandler(req -> {
      if (grpc(req)) {
        grpc.handle(req);
      } else {
        Failures.send(req.response(), 415, "this is the gRPC port (inference.GRPCInferenceService over HTTP/2, "
            + "content-type application/grpc); the REST API is on http.port", 0);
      }
    });
    return server.listen();
  }

  private static boolean grpc(HttpServerRequest req) {
    String type = req.getHeader("content-type");
    return type != null && type.toLowerCase(Locale.ROOT).startsWith("application/grpc");
  }

  /** The bound port (useful when configured as 0). */
  public int port() {
    return server.actualPort();
  }
}
