package io.coedge.api.grpc;

import io.coedge.inference.InferenceException;
import io.coedge.security.AuthHandler;
import io.coedge.security.Authenticator;
import io.coedge.security.Principal;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.grpc.common.GrpcMessage;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerRequest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * What every RPC shares: the open-call count, decoding the message (a malformed one is INVALID_ARGUMENT, one past
 * the size limit RESOURCE_EXHAUSTED), the request gate for the REST path of the same operation (credentials from the
 * {@code authorization} / {@code x-api-key} metadata), and answering on the call's own context.
 */
final class GrpcCalls {

  private final AuthHandler gate;
  private final OpenCalls open = new OpenCalls();

  GrpcCalls(AuthHandler gate) {
    this.gate = gate;
  }

  /** Binds a unary RPC: {@code path} names the REST endpoint whose access rules apply, {@code work} answers. */
  <Q, R> void unary(GrpcServer server, ServiceMethod<Q, R> method, Function<Q, String> path,
      BiFunction<Q, GrpcServerRequest<Q, R>, Future<R>> work) {
    server.callHandler(method, call -> {
      OpenCalls.Open o = open.opened(call);
      Context here = Vertx.currentContext();
      call.invalidMessageHandler(err -> fail(call, o, InferenceException.tooLarge("message is larger than the limit "
          + "(http.max-body-bytes)")));
      call.messageHandler(msg -> {
        Q q = decode(method, msg);
        if (q == null) {
          fail(call, o, malformed(method, msg));
          return;
        }
        check(call, path.apply(q)).compose(p -> work.apply(q, call)).onComplete(ar -> on(here, () -> {
          if (o.closed()) {
            return;
          }
          if (ar.succeeded()) {
            call.response().end(ar.result()).onFailure(err -> { });
            o.close();
          } else {
            fail(call, o, ar.cause());
          }
        }));
      });
    });
  }

  /** The message, or null when it is not valid protobuf of the method's type. */
  static <Q> Q decode(ServiceMethod<Q, ?> method, GrpcMessage msg) {
    if (!"identity".equals(msg.encoding())) {
      return null;
    }
    try {
      return method.decoder().decode(msg);
    } catch (Exception e) {
      return null;
    }
  }

  static InferenceException malformed(ServiceMethod<?, ?> method, GrpcMessage msg) {
    if (!"identity".equals(msg.encoding())) {
      return InferenceException.unsupported("compressed messages (" + msg.encoding() + ") are not accepted");
    }
    return InferenceException.invalid("message is not a valid " + method.methodName() + " request (malformed "
        + "protobuf)");
  }

  /** The same gate as REST's for {@code path}, from the call's metadata and connection. */
  Future<Principal> check(GrpcServerRequest<?, ?> call, String path) {
    return gate.check(path, false, call.headers().get("authorization"),
        call.headers().get(Authenticator.API_KEY_HEADER), call.connection());
  }

  void fail(GrpcServerRequest<?, ?> call, OpenCalls.Open o, Throwable f) {
    GrpcFailures.send(call.response(), GrpcFailures.of(f, call.fullMethodName()));
    o.close();
  }

  OpenCalls.Open opened(GrpcServerRequest<?, ?> call) {
    return open.opened(call);
  }

  /** Open calls (streams) on this node. */
  int openCount() {
    return open.count();
  }

  static void on(Context context, Runnable r) {
    if (context == null || Vertx.currentContext() == context) {
      r.run();
    } else {
      context.runOnContext(v -> r.run());
    }
  }

  /** {@code /v2/models/{name}{tail}}, the model name encoded as one path segment. */
  static String model(String name, String tail) {
    return "/v2/models/" + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20") + tail;
  }
}
