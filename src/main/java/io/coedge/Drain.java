package io.coedge;

import io.coedge.api.HttpServerVerticle;
import io.coedge.api.InFlight;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.logging.Logger;

/**
 * The listeners' half of a graceful stop, after the node is marked draining in the table: refuse every new request
 * (503, {@code Retry-After}, {@code Connection: close}), answer every admitted request (local or offloaded), at most
 * {@code node.drain-timeout-s} (past it, what is left is answered 503 and counted in the log), then close the
 * listeners. Until then they stay open, kept-alive connections included: a request written on an idle connection as
 * the server closed it would get no answer at all (neither the client nor the node knows whether it ran); one that
 * arrives while the connection is open gets the 503 and goes elsewhere. Then the listening sockets close (a new
 * connection is refused, which a client knows is safe to send elsewhere) while open connections linger
 * {@code node.drain-linger-ms} more, answering 503 to a request already on its way ({@code ShutdownLinger}); then
 * they close.
 */
final class Drain {

  private static final Logger LOG = Logger.getLogger(Gateway.class.getName());
  /** After the linger, a connection still writing an answer gets this long before it is cut. */
  private static final long FLUSH_MS = 1_000;

  private Drain() {
  }

  static Future<Void> listeners(Vertx vertx, InFlight inFlight, List<HttpServerVerticle> servers, long timeoutMs) {
    long t0 = System.nanoTime();
    int admitted = inFlight.size();
    LOG.info("draining: " + admitted + " request(s) in flight, new requests answered 503, up to " + timeoutMs / 1000
        + " s to answer them");
    Future<Integer> answered = inFlight.drain(vertx, timeoutMs);
    Future<?> closed = answered.transform(x -> Future.all(servers.stream().map(s -> s.shutdown(FLUSH_MS)).toList()));
    return Future.all(answered, closed).transform(ar -> {
      int cut = answered.succeeded() ? answered.result() : inFlight.size();
      LOG.info("drained in " + (System.nanoTime() - t0) / 1_000_000 + " ms: " + (admitted - Math.min(admitted, cut))
          + " of " + admitted + " in-flight request(s) answered" + (cut > 0 ? ", " + cut + " answered 503" : "")
          + "; " + inFlight.refused() + " new request(s) refused");
      return Future.succeededFuture();
    });
  }
}
