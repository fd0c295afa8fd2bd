package io.coedge.api;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Cuts off slow senders (slowloris), which an idle timeout alone does not: a client that sends one byte a second
 * is never idle. An HTTP/1.x connection must send a complete request head within {@code http.request-timeout-s}
 * of connecting (within {@code http.idle-timeout-s} of the previous response when kept alive), and each request
 * body must be complete within {@code http.request-timeout-s} of its head; an HTTP/2 stream whose body is late is
 * reset. Time spent computing the answer is ours, not the client's, and is never counted.
 *
 * <p>One instance per listener, used only on that listener's event loop: one sweep every {@value #SWEEP_MS} ms
 * over the open connections, no timer per request.
 */
final class SlowSenderGuard {

  static final long SWEEP_MS = 250;

  /** An HTTP/1.x connection and what it is waiting for: a request head ({@code request == null}) or a body. */
  private static final class Slot {
    HttpServerRequest request;
    long since;
    boolean served;

    Slot(long since) {
      this.since = since;
    }
  }

  private record Stream(HttpServerRequest request, long since) {
  }

  private final long requestNanos;
  private final long keepAliveNanos;
  private final Map<HttpConnection, Slot> connections = new HashMap<>();
  private final List<Stream> streams = new ArrayList<>();
  private long timer = -1;

  SlowSenderGuard(int requestTimeoutSeconds, int idleTimeoutSeconds) {
    this.requestNanos = TimeUnit.SECONDS.toNanos(requestTimeoutSeconds);
    this.keepAliveNanos = TimeUnit.SECONDS.toNanos(idleTimeoutSeconds);
  }

  void start(Vertx vertx) {
    timer = vertx.setPeriodic(SWEEP_MS, id -> sweep(System.nanoTime()));
  }

  void stop(Vertx vertx) {
    vertx.cancelTimer(timer);
  }

  void connected(HttpConnection c) {
    connections.put(c, new Slot(System.nanoTime()));
    c.closeHandler(v -> connections.remove(c));
  }

  void request(HttpServerRequest r) {
    long now = System.nanoTime();
    if (r.version() == HttpVersion.HTTP_2) {
      connections.remove(r.connection()); // streams are multiplexed: watched one by one below
      if (!r.isEnded()) {
        streams.add(new Stream(r, now));
      }
      return;
    }
    Slot s = connections.get(r.connection());
    if (s != null) {
      s.request = r;
      s.since = now;
    }
  }

  private void sweep(long now) {
    for (Iterator<Map.Entry<HttpConnection, Slot>> it = connections.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<HttpConnection, Slot> e = it.next();
      Slot s = e.getValue();
      long waited = now - s.since;
      if (s.request == null) {
        if (waited > (s.served ? keepAliveNanos : requestNanos)) {
          it.remove();
          e.getKey().close(); // no request object yet: nothing to answer
        }
      } else if (!s.request.isEnded()) {
        if (waited > requestNanos) {
          it.remove();
          tooSlow(s.request);
          e.getKey().close();
        }
      } else if (s.request.response().ended()) {
        s.request = null;
        s.since = now;
        s.served = true;
      }
    }
    streams.removeIf(st -> {
      if (st.request().isEnded()) {
        return true;
      }
      if (now - st.since() > requestNanos) {
        tooSlow(st.request());
        st.request().response().reset();
        return true;
      }
      return false;
    });
  }

  private static void tooSlow(HttpServerRequest r) {
    Failures.send(r.response(), 408, "request body not complete within http.request-timeout-s", 0);
  }
}
