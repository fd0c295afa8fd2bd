package io.coedge.routing;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.RequestOptions;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One HTTP exchange with a peer bounded as a whole: waiting for a pooled connection, sending, and receiving the whole
 * answer fit in one timeout. Vert.x's request timeout is two bounds one after the other (one for getting a connection
 * from the pool, then an idle timeout that every byte received restarts), so an attempt given 300 ms could last
 * 600 ms behind a busy pool, and without end on a link that drips its answer. At the timeout the request is reset:
 * one not sent yet hands its pooled connection back, one sent closes its HTTP/1.1 connection (nothing more of it
 * reaches this node, and no later request waits behind it). The pool's wait queue is unbounded in length, but each
 * waiter leaves it at this same timeout.
 */
final class BoundedExchange {

  /** A complete answer: its status line and headers, and its whole body. */
  record Reply(HttpClientResponse response, Buffer body) {
  }

  private BoundedExchange() {
  }

  /**
   * Sends {@code body} (null = none) with {@code options}; fails with a {@link RemoteFailure} (status 0) once
   * {@code timeoutMs} have passed without the whole answer, on the caller's context.
   */
  static Future<Reply> send(Vertx vertx, HttpClient client, RequestOptions options, Buffer body, long timeoutMs) {
    Promise<Reply> answer = Promise.promise();
    AtomicReference<HttpClientRequest> started = new AtomicReference<>();
    long timer = vertx.setTimer(timeoutMs, id -> {
      if (answer.tryFail(new RemoteFailure(0, "no answer within " + timeoutMs + " ms"))) {
        HttpClientRequest req = started.get();
        if (req != null) {
          req.reset();
        }
      }
    });
    client.request(options.setTimeout(timeoutMs)).compose(req -> {
      started.set(req);
      req.exceptionHandler(x -> { }); // a reset's failure reaches the caller through the futures; not logged as SEVERE
      if (answer.future().isComplete()) { // the timer fired while it waited for a connection
        req.reset();
        return Future.failedFuture("given up before it was sent");
      }
      return (body == null ? req.send() : req.send(body)).compose(r -> r.body().map(b -> new Reply(r, b)));
    }).onComplete(ar -> {
      vertx.cancelTimer(timer);
      if (ar.succeeded()) {
        answer.tryComplete(ar.result());
      } else {
        answer.tryFail(ar.cause());
      }
    });
    return answer.future();
  }
}
