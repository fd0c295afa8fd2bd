package io.coedge.bench;

import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Executes one {@link LoadSpec}. The calling thread is the sender: it sleeps until the next intended start,
 * hands every request that is due to an event loop, and never waits for a response. Each request owns its
 * slot in the result arrays, so completions on any event loop record without locks.
 */
final class OpenLoopRun {

  private static final long MIN_DISPATCH_GAP_NANOS = 200_000;

  private final LoadSpec spec;
  private final HttpClientAgent[] clients;
  private final Context[] contexts;
  private final RequestOptions options;
  private final long[] latency;
  private final long[] lag;
  private final byte[] outcome;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicReference<String> firstError = new AtomicReference<>();
  private final AtomicReference<String> httpVersion;
  private long t0;

  /** @param httpVersion receives the protocol of the first response (ALPN name: {@code http/1.1}, {@code h2}) */
  OpenLoopRun(LoadSpec spec, HttpClientAgent[] clients, Context[] contexts, AtomicReference<String> httpVersion) {
    this.spec = spec;
    this.httpVersion = httpVersion;
    this.clients = clients.clone();
    this.contexts = contexts.clone();
    this.options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(spec.url().toString())
        .setIdleTimeout(spec.timeoutMs()).setConnectTimeout(spec.timeoutMs())
        .putHeader(HttpHeaders.CONTENT_TYPE, spec.payload().contentType());
    if (spec.payload().jsonLength() >= 0) {
      options.putHeader("Inference-Header-Content-Length", String.valueOf(spec.payload().jsonLength()));
    }
    spec.headers().forEach(h -> options.putHeader(h.getKey(), h.getValue()));
    int total = spec.totalRequests();
    latency = new long[total];
    lag = new long[total];
    outcome = new byte[total];
  }

  /** Runs to the end (warm-up, measurement, drain) and summarises the measured part. */
  LoadResult run(long serverPid) throws InterruptedException {
    int total = spec.totalRequests();
    int warm = spec.warmupRequests();
    CpuSnapshot windowStart = null;
    int next = 0;
    int batches = 0;
    long gapNanos = spec.intendedOffsetNanos(1);
    t0 = System.nanoTime();
    while (next < total) {
      long now = System.nanoTime();
      int due = (int) Math.min(total, (long) Math.floor((now - t0) * spec.rate() / 1e9) + 1);
      if (due <= next) {
        LockSupport.parkNanos(intended(next) - now);
        continue;
      }
      if (windowStart == null && due > warm) {
        windowStart = CpuSnapshot.take(serverPid);
      }
      dispatch(next, due, contexts[batches++ % contexts.length]);
      next = due;
      if (gapNanos < MIN_DISPATCH_GAP_NANOS) {
        // Above 5,000 req/s hand requests over in batches: one event-loop wake-up per request would cost the
        // generator more CPU than the server spends on a tiny request. The wait is counted in the latency.
        LockSupport.parkNanos(MIN_DISPATCH_GAP_NANOS);
      }
    }
    drain();
    CpuSnapshot windowEnd = CpuSnapshot.take(serverPid);
    return summarize(warm, total, windowStart == null ? windowEnd : windowStart, windowEnd);
  }

  private long intended(long i) {
    return t0 + spec.intendedOffsetNanos(i);
  }

  /** Beyond the in-flight cap a request is dropped here, counted, and never sent late. */
  private void dispatch(int from, int to, Context ctx) {
    for (int i = from; i < to; i++) {
      if (inFlight.incrementAndGet() > spec.maxInFlight()) {
        inFlight.decrementAndGet();
        outcome[i] = Outcome.DROPPED.code();
      }
    }
    ctx.runOnContext(v -> {
      for (int i = from; i < to; i++) {
        if (outcome[i] != Outcome.DROPPED.code()) {
          send(i);
        }
      }
    });
  }

  private void send(int i) {
    lag[i] = System.nanoTime() - intended(i);
    clients[i % clients.length].request(options)
        .compose(req -> req.send(spec.payload().body()))
        .compose(resp -> resp.body().map(body -> {
          httpVersion.compareAndSet(null, resp.version().alpnName());
          if (resp.statusCode() >= 300) {
            firstError.compareAndSet(null, resp.statusCode() + " " + truncate(body.toString()));
          }
          return resp.statusCode();
        }))
        .onComplete(ar -> complete(i, ar));
  }

  private void complete(int i, AsyncResult<Integer> ar) {
    latency[i] = System.nanoTime() - intended(i);
    outcome[i] = (ar.succeeded() ? Outcome.ofStatus(ar.result()) : classify(ar.cause())).code();
    if (ar.failed()) {
      firstError.compareAndSet(null, ar.cause().toString());
    }
    inFlight.decrementAndGet(); // last: publishes the slot writes to the thread that sees the count reach 0
  }

  private static Outcome classify(Throwable t) {
    String name = t.getClass().getSimpleName().toLowerCase();
    boolean timeout = t instanceof TimeoutException || name.contains("timeout")
        || String.valueOf(t.getMessage()).toLowerCase().contains("timeout");
    return timeout ? Outcome.TIMEOUT : Outcome.CONNECTION_ERROR;
  }

  /** Waits for outstanding responses, at most the request timeout plus a margin. */
  private void drain() throws InterruptedException {
    long deadline = System.nanoTime() + (spec.timeoutMs() + 2_000) * 1_000_000L;
    while (inFlight.get() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
  }

  private LoadResult summarize(int warm, int total, CpuSnapshot start, CpuSnapshot end) {
    long[] counts = new long[Outcome.values().length];
    long[] done = new long[total - warm];
    long[] lags = new long[total - warm];
    long[] service = new long[total - warm];
    int nDone = 0;
    for (int i = warm; i < total; i++) {
      Outcome o = Outcome.of(outcome[i]);
      if (o == Outcome.PENDING) {
        o = Outcome.TIMEOUT; // never answered, not even by the client's idle timeout
        latency[i] = end.wallNanos() - intended(i);
      }
      counts[o.ordinal()]++;
      if (o != Outcome.DROPPED) {
        lags[nDone] = lag[i];
        service[nDone] = latency[i] - lag[i];
        done[nDone++] = latency[i];
      }
    }
    Percentiles p = new Percentiles(done, nDone);
    Percentiles l = new Percentiles(lags, nDone);
    Percentiles sv = new Percentiles(service, nDone);
    return new LoadResult(spec.url().toString(), spec.payload().kind(), spec.rate(), spec.durationS(),
        counts[Outcome.OK.ordinal()] / spec.durationS(), total - warm, counts[Outcome.OK.ordinal()],
        counts[Outcome.CLIENT_ERROR.ordinal()], counts[Outcome.OVERLOADED.ordinal()],
        counts[Outcome.OTHER_STATUS.ordinal()], counts[Outcome.TIMEOUT.ordinal()],
        counts[Outcome.CONNECTION_ERROR.ordinal()], counts[Outcome.DROPPED.ordinal()],
        p.millis(0.50), p.millis(0.90), p.millis(0.99), p.millis(0.999), p.maxMillis(),
        l.millis(0.50), l.millis(0.99), sv.millis(0.50), sv.millis(0.99), start.selfCores(end), start.serverCores(end), start.otherCores(end),
        firstError.get());
  }

  private static String truncate(String s) {
    return s.length() > 200 ? s.substring(0, 200) + "…" : s;
  }
}
