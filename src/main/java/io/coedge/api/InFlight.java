package io.coedge.api;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * The requests this node's listeners admitted and have not answered yet, shared by every listener instance: a
 * drain waits for them to be answered. Once draining, a request that still reaches a listener (a kept-alive
 * connection) gets a fast 503 with {@code Retry-After} and {@code Connection: close}; answers to admitted ones
 * carry {@code Connection: close} so clients do not reuse a connection about to go away. Thread-safe.
 */
public final class InFlight {

  private static final Logger LOG = Logger.getLogger(InFlight.class.getName());

  /** Each open request's response, with the context it runs on (answers are written there). */
  private final Map<HttpServerResponse, Context> open = new ConcurrentHashMap<>();
  private final Promise<Void> empty = Promise.promise();
  private volatile boolean draining;
  /** Requests refused because the node drains. */
  private final AtomicInteger refused = new AtomicInteger();

  /** Registers {@code req}, or answers it 503 when draining; false = already answered, route no further. */
  boolean admit(HttpServerRequest req) {
    HttpServerResponse response = req.response();
    if (draining) {
      refused.incrementAndGet();
      refuse(response, "this node is shutting down; send the request to another node");
      return false;
    }
    open.put(response, Vertx.currentContext());
    response.headersEndHandler(v -> {
      if (draining) {
        response.putHeader("connection", "close");
      }
    });
    // Vert.x calls the end handler once: when the answer is written, or when the connection closes before that.
    response.endHandler(v -> done(response));
    return true;
  }

  private void done(HttpServerResponse response) {
    if (open.remove(response) != null && draining && open.isEmpty()) {
      empty.tryComplete();
    }
  }

  /** Requests admitted and not answered yet. */
  public int size() {
    return open.size();
  }

  public boolean draining() {
    return draining;
  }

  /**
   * Refuses new requests from now on and waits until every admitted one is answered, at most {@code timeoutMs}; then
   * answers what is left 503 (logged with a count). Completes with how many were answered so.
   */
  public Future<Integer> drain(Vertx vertx, long timeoutMs) {
    draining = true;
    if (open.isEmpty()) {
      empty.tryComplete();
    }
    Promise<Integer> drained = Promise.promise();
    long timer = vertx.setTimer(Math.max(1, timeoutMs), t -> drained.tryComplete(failRest(timeoutMs)));
    empty.future().onComplete(x -> {
      vertx.cancelTimer(timer);
      drained.tryComplete(0);
    });
    return drained.future();
  }

  /** Requests refused (503) because the node drains. */
  public int refused() {
    return refused.get();
  }

  private int failRest(long timeoutMs) {
    int n = open.size();
    if (n > 0) {
      LOG.warning(n + " request(s) not answered within node.drain-timeout-s (" + timeoutMs / 1000
          + " s): answered 503");
    }
    open.forEach((response, context) -> context.runOnContext(v -> refuse(response,
        "this node shut down before the request was answered; send it to another node")));
    return n;
  }

  private static void refuse(HttpServerResponse response, String message) {
    if (!response.headWritten() && !response.closed()) {
      response.putHeader("connection", "close");
    }
    Failures.send(response, 503, message, 1);
  }
}
