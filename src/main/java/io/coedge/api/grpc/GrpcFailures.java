package io.coedge.api.grpc;

import io.coedge.inference.InferenceException;
import io.coedge.security.Refusal;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.GrpcServerResponse;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one place a failure becomes a gRPC status, from the same errors REST maps to HTTP statuses: 400
 * INVALID_ARGUMENT, 404 NOT_FOUND, 413 and 429 RESOURCE_EXHAUSTED, 503 UNAVAILABLE, 501 UNIMPLEMENTED, 401
 * UNAUTHENTICATED, 403 PERMISSION_DENIED; anything else INTERNAL, logged with a request id. A retry hint goes in the
 * trailers as {@code retry-after} (seconds, as in HTTP) and {@code grpc-retry-pushback-ms} (gRPC's retry pushback).
 */
final class GrpcFailures {

  private static final Logger LOG = Logger.getLogger(GrpcFailures.class.getName());
  private static final AtomicLong IDS = new AtomicLong();

  /** A failure as the client will see it. */
  record Status(GrpcStatus status, String message, int retryAfterS) {
  }

  private GrpcFailures() {
  }

  static Status of(Throwable f, String method) {
    if (f instanceof InferenceException e) {
      int retry = e instanceof InferenceException.Overloaded o ? o.retryAfterSeconds() : 0;
      return new Status(status(e.status()), e.getMessage(), retry);
    }
    if (f instanceof Refusal.Refused r) {
      return new Status(status(r.refusal().status()), r.getMessage(), r.refusal().retryAfterS());
    }
    String id = "grpc-" + IDS.incrementAndGet();
    LOG.log(Level.SEVERE, id + ": " + method + " failed", f);
    return new Status(GrpcStatus.INTERNAL, "internal error (request id " + id + ")", 0);
  }

  static GrpcStatus status(int http) {
    return switch (http) {
      case 400 -> GrpcStatus.INVALID_ARGUMENT;
      case 401 -> GrpcStatus.UNAUTHENTICATED;
      case 403 -> GrpcStatus.PERMISSION_DENIED;
      case 404 -> GrpcStatus.NOT_FOUND;
      case 413, 429 -> GrpcStatus.RESOURCE_EXHAUSTED;
      case 501 -> GrpcStatus.UNIMPLEMENTED;
      case 503 -> GrpcStatus.UNAVAILABLE;
      case 504 -> GrpcStatus.DEADLINE_EXCEEDED;
      default -> GrpcStatus.INTERNAL;
    };
  }

  /** Ends the call with {@code s} (nothing when the stream is already gone). */
  static void send(GrpcServerResponse<?, ?> response, Status s) {
    if (s.retryAfterS() > 0) {
      response.trailers().set("retry-after", Integer.toString(s.retryAfterS()));
      response.trailers().set("grpc-retry-pushback-ms", Long.toString(s.retryAfterS() * 1000L));
    }
    response.status(s.status()).statusMessage(s.message()).end().onFailure(err -> { }); // a reset stream: no one to tell
  }
}
