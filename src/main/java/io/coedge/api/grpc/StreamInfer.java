package io.coedge.api.grpc;

import io.coedge.api.grpc.v2.GRPCInferenceServiceGrpcService;
import io.coedge.api.grpc.v2.ModelInferRequest;
import io.coedge.api.grpc.v2.ModelInferResponse;
import io.coedge.api.grpc.v2.ModelStreamInferResponse;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerRequest;
import java.util.function.BiFunction;

/**
 * Triton's {@code ModelStreamInfer}: every request on the stream is served as a {@code ModelInfer} (checked by the
 * gate, routed) as soon as it arrives, answers go back as they finish, matched by the request's {@code id}; a
 * failed request answers {@code error_message} (with its id) and the stream goes on. The stream ends OK once the
 * client has half-closed and every answer is out. At most {@link #MAX_IN_FLIGHT} requests of one stream are in
 * flight: beyond that the stream stops reading (HTTP/2 flow control holds the client back), as it does while the
 * client does not read the answers.
 */
final class StreamInfer {

  static final int MAX_IN_FLIGHT = 256;

  private final GrpcCalls calls;
  private final BiFunction<ModelInferRequest, GrpcServerRequest<?, ?>, Future<ModelInferResponse>> infer;

  StreamInfer(GrpcCalls calls,
      BiFunction<ModelInferRequest, GrpcServerRequest<?, ?>, Future<ModelInferResponse>> infer) {
    this.calls = calls;
    this.infer = infer;
  }

  void bind(GrpcServer server) {
    server.callHandler(GRPCInferenceServiceGrpcService.ModelStreamInfer, this::serve);
  }

  /** One stream's state; touched on the stream's context only. */
  private final class Stream {
    final GrpcServerRequest<ModelInferRequest, ModelStreamInferResponse> call;
    final OpenCalls.Open open;
    final Context context = Vertx.currentContext();
    int inFlight;
    boolean halfClosed;
    boolean paused;

    Stream(GrpcServerRequest<ModelInferRequest, ModelStreamInferResponse> call) {
      this.call = call;
      this.open = calls.opened(call);
    }

    void request(ModelInferRequest q) {
      inFlight++;
      flow();
      String path = GrpcCalls.model(q.getModelName(), "/infer");
      calls.check(call, path).compose(p -> infer.apply(q, call)).onComplete(ar -> GrpcCalls.on(context, () -> {
        inFlight--;
        if (open.closed()) {
          return;
        }
        ModelStreamInferResponse.Builder r = ModelStreamInferResponse.newBuilder();
        if (ar.succeeded()) {
          r.setInferResponse(ar.result());
        } else {
          r.setErrorMessage(GrpcFailures.of(ar.cause(), call.fullMethodName()).message())
              .setInferResponse(ModelInferResponse.newBuilder().setId(q.getId()).setModelName(q.getModelName())
                  .setModelVersion(q.getModelVersion()));
        }
        call.response().write(r.build());
        flow();
        endIfDone();
      }));
    }

    /** Reads while fewer than MAX_IN_FLIGHT requests wait and the client takes its answers. */
    void flow() {
      boolean full = inFlight >= MAX_IN_FLIGHT || call.response().writeQueueFull();
      if (full != paused) {
        paused = full;
        if (full) {
          call.pause();
        } else {
          call.resume();
        }
      }
    }

    void endIfDone() {
      if (halfClosed && inFlight == 0 && !open.closed()) {
        call.response().status(GrpcStatus.OK).end().onFailure(err -> { });
        open.close();
      }
    }
  }

  private void serve(GrpcServerRequest<ModelInferRequest, ModelStreamInferResponse> call) {
    Stream s = new Stream(call);
    call.response().drainHandler(v -> s.flow());
    call.invalidMessageHandler(err -> calls.fail(call, s.open, io.coedge.inference.InferenceException.tooLarge(
        "message is larger than the limit (http.max-body-bytes)")));
    call.messageHandler(msg -> {
      ModelInferRequest q = GrpcCalls.decode(GRPCInferenceServiceGrpcService.ModelStreamInfer, msg);
      if (q == null) {
        calls.fail(call, s.open, GrpcCalls.malformed(GRPCInferenceServiceGrpcService.ModelStreamInfer, msg));
      } else if (!s.open.closed()) {
        s.request(q);
      }
    });
    call.endHandler(v -> {
      s.halfClosed = true;
      s.endIfDone();
    });
  }
}
