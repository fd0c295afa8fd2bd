package io.coedge.api;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
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
    AtomicBoolean late = new AtomicBoolean();
    long timer = vertx.setTimer(Math.max(1, timeoutMs), t -> {
      late.set(true);
      failRest(timeoutMs).onComplete(ar -> drained.tryComplete(ar.succeeded() ? ar.result() : 0));
    });
    empty.future().onComplete(x -> {
      if (!late.get()) { // past the timeout the count is the refusals', which completes the drain itself
        vertx.cancelTimer(timer);
        drained.tryComplete(0);
      }
    });
    return drained.future();
  }

  /** Requests refused (503) because the node drains. */
  public int refused() {
    return refused.get();
  }

  /**
   * Answers 503 what is still open, each on its own context; completes with how many got that 503 (an answer that
   * was being written meanwhile is not counted: its client got the 200).
   */
  private Future<Integer> failRest(long timeoutMs) {
    List<Future<Boolean>> refusals = new ArrayList<>();
    open.forEach((response, context) -> refusals.add(Future.future(p -> context.runOnContext(v -> p.complete(
        refuse(response, "this node shut down before the request was answered; send it to another node"))))));
    return Future.all(refusals).map(all -> {
      int n = (int) refusals.stream().filter(Future::result).count();
      if (n > 0) {
        LOG.warning(n + " request(s) not answered within node.drain-timeout-s (" + timeoutMs / 1000
            + " s): answered 503");
      }
      return n;
    });
  }

  /** Answers 503 unless an answer is already under way or the connection is gone; true when it did. */
  private static boolean refuse(HttpServerResponse response, String message) {
    if (response.headWritten() || response.closed() || response.ended()) {
      return false;
    }
    response.putHeader("connection", "close");
    Failures.send(response, 503, message, 1);
    return true;
  }
}
