package io.coedge;

import io.coedge.api.HttpServerVerticle;
import io.coedge.api.InFlight;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.logging.Logger;

/**
 * The listeners' half of a graceful stop, after the node is marked draining in the table: stop accepting
 * connections, refuse requests still arriving on kept-alive ones (503, {@code Retry-After}, {@code Connection:
 * close}), answer every admitted request (local or offloaded), at most {@code node.drain-timeout-s}; past it, what is
 * left is answered 503 and counted in the log.
 */
final class Drain {

  private static final Logger LOG = Logger.getLogger(Gateway.class.getName());
  /** Past the drain timeout, the 503s written then get this long to leave before connections are cut. */
  private static final long FLUSH_MS = 1_000;

  private Drain() {
  }

  static Future<Void> listeners(Vertx vertx, InFlight inFlight, List<HttpServerVerticle> servers, long timeoutMs) {
    long t0 = System.nanoTime();
    int admitted = inFlight.size();
    LOG.info("draining: " + admitted + " request(s) in flight, new connections refused, up to " + timeoutMs / 1000
        + " s to answer them");
    Future<Integer> answered = inFlight.drain(vertx, timeoutMs);
    Future<?> closed = Future.all(servers.stream().map(s -> s.shutdown(timeoutMs + FLUSH_MS)).toList());
    return Future.all(answered, closed).transform(ar -> {
      int cut = answered.succeeded() ? answered.result() : inFlight.size();
      LOG.info("drained in " + (System.nanoTime() - t0) / 1_000_000 + " ms: " + (admitted - Math.min(admitted, cut))
          + " of " + admitted + " in-flight request(s) answered" + (cut > 0 ? ", " + cut + " answered 503" : ""));
      return Future.succeededFuture();
    });
  }
}
