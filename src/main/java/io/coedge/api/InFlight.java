package io.coedge.api;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
  /** When the last request was refused because the node drains (System.nanoTime). */
  private volatile long lastRefusedNanos;

  /** Registers {@code req}, or answers it 503 when draining; false = already answered, route no further. */
  boolean admit(HttpServerRequest req) {
    HttpServerResponse response = req.response();
    if (draining) {
      lastRefusedNanos = System.nanoTime();
      refuse(response, "this node is shutting down; send the request to another node");
      return false;
    }
    open.put(response, Vertx.currentContext());
    response.headersEndHandler(v -> {
      if (draining) {
        response.putHeader("connection", "close");
      }
    });
    response.endHandler(v -> done(response));
    response.closeHandler(v -> done(response));
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

  /**
   * Completes once no request has been refused for {@code quietMs} (every connection a client used since the drain
   * began was told to go elsewhere and closed), or after {@code maxMs}: connections still open then are idle ones.
   */
  public Future<Void> quiet(Vertx vertx, long quietMs, long maxMs) {
    Promise<Void> settled = Promise.promise();
    long start = System.nanoTime();
    settle(vertx, settled, start, quietMs * 1_000_000, start + maxMs * 1_000_000);
    return settled.future();
  }

  private void settle(Vertx vertx, Promise<Void> settled, long start, long quietNanos, long endNanos) {
    long wait = Math.min(Math.max(start, lastRefusedNanos) + quietNanos, endNanos) - System.nanoTime();
    if (wait <= 0) {
      settled.complete();
    } else {
      vertx.setTimer(Math.max(1, wait / 1_000_000), t -> settle(vertx, settled, start, quietNanos, endNanos));
    }
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
