package io.coedge.api.grpc;

import io.coedge.Eventually;
import io.coedge.api.grpc.v2.GRPCInferenceServiceGrpcClient;
import io.coedge.api.grpc.v2.ModelInferRequest;
import io.coedge.api.grpc.v2.ModelStreamInferResponse;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientRequest;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A real gRPC client for tests (Vert.x's, over the generated stubs' method descriptors): blocking, with metadata. */
public final class GrpcTestClient implements AutoCloseable {

  /** What a call ended with: its status, message, metadata (headers and trailers) and (on OK) the answers. */
  public record Outcome<R>(GrpcStatus status, String message, Map<String, String> trailers, List<R> answers) {
    public R answer() {
      if (status != GrpcStatus.OK) {
        throw new AssertionError("call ended " + status + ": " + message);
      }
      return answers.get(0);
    }
  }

  private final Vertx vertx;
  private final GrpcClient client;
  private final SocketAddress server;

  public GrpcTestClient(int port) {
    this(port, Vertx.vertx(), null);
  }

  /** Over {@code http} (e.g. with more connections per server), on {@code vertx}, which {@link #close()} closes. */
  public GrpcTestClient(int port, Vertx vertx, io.vertx.core.http.HttpClient http) {
    this.vertx = vertx;
    this.client = http != null ? GrpcClient.client(vertx, http) : GrpcClient.client(vertx, new HttpClientOptions()
        .setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false));
    this.server = SocketAddress.inetSocketAddress(port, "127.0.0.1");
  }

  /** A unary call with {@code headers} (name, value, ...). */
  public <Q, R> Outcome<R> call(ServiceMethod<R, Q> method, Q message, String... headers) {
    return Eventually.await(stream(method, List.of(message), 0, headers));
  }

  /** Sends {@code messages} on one call (then half-closes), collects every answer; {@code timeoutMs} 0 = none. */
  public <Q, R> Future<Outcome<R>> stream(ServiceMethod<R, Q> method, List<Q> messages, long timeoutMs,
      String... headers) {
    return client.request(server, method).compose(req -> {
      for (int i = 0; i + 1 < headers.length; i += 2) {
        req.headers().add(headers[i], headers[i + 1]);
      }
      if (timeoutMs > 0) {
        req.timeout(timeoutMs, java.util.concurrent.TimeUnit.MILLISECONDS);
      }
      messages.forEach(req::write);
      req.end();
      return collect(req);
    });
  }

  /** A call whose body is {@code raw} bytes framed as one gRPC message (e.g. not protobuf at all). */
  public Future<Outcome<Buffer>> raw(String fullMethodName, Buffer raw) {
    return client.request(server).compose(req -> {
      req.fullMethodName(fullMethodName);
      req.end(raw);
      return collect(req);
    });
  }

  /** Opens a ModelStreamInfer call, sends one message and neither half-closes nor reads: an abandoned stream. */
  public Future<GrpcClientRequest<ModelInferRequest, ModelStreamInferResponse>> openStream(ModelInferRequest first) {
    return client.request(server, GRPCInferenceServiceGrpcClient.ModelStreamInfer).map(req -> {
      req.write(first);
      return req;
    });
  }

  private static <Q, R> Future<Outcome<R>> collect(GrpcClientRequest<Q, R> req) {
    return req.response().compose(resp -> {
      List<R> answers = new ArrayList<>();
      Promise<Outcome<R>> done = Promise.promise();
      resp.handler(answers::add);
      resp.exceptionHandler(done::tryFail);
      resp.endHandler(v -> {
        Map<String, String> trailers = new java.util.HashMap<>();
        resp.headers().forEach(e -> trailers.put(e.getKey().toLowerCase(java.util.Locale.ROOT), e.getValue()));
        resp.trailers().forEach(e -> trailers.put(e.getKey().toLowerCase(java.util.Locale.ROOT), e.getValue()));
        done.tryComplete(new Outcome<>(resp.status(), resp.statusMessage(), trailers, answers));
      });
      return done.future();
    });
  }

  public Vertx vertx() {
    return vertx;
  }

  @Override
  public void close() {
    Eventually.await(client.close());
    Eventually.await(vertx.close());
  }
}
