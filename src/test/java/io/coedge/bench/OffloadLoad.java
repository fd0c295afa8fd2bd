package io.coedge.bench;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Open-loop load for the offload tests and benchmark: request i is due at {@code t0 + i / rate} and is sent
 * then, whatever happened to earlier ones (no coordinated omission); latency counts from the due time.
 * One sender thread, one event loop, a bounded number of requests. Test code.
 */
public final class OffloadLoad implements AutoCloseable {

  /**
   * One request's fate.
   *
   * @param dueMs      when it was due, ms after the start of the run
   * @param latencyUs  completion − due time
   * @param serviceUs  completion − actual send
   * @param status     HTTP status, 0 when no answer
   * @param lagUs      actual send − due time (the generator's own delay)
   * @param connectUs  until this client had a connection for it (its pool), from the actual send; -1 if never
   * @param path       the answer's {@code coedge-path} header (the nodes it went through), or null
   */
  public record Outcome(double dueMs, long latencyUs, long serviceUs, int status, String route, String servedBy,
      String retryAfter, String error, long lagUs, long connectUs, String path) {
    public boolean ok() {
      return status == 200;
    }
  }

  /** An action the load loop runs once, {@code ms} after the run starts. */
  public record At(long ms, Runnable action) {
  }

  private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
  private final HttpClient client;

  public OffloadLoad(int maxConnections) {
    this(maxConnections, new HttpClientOptions(), 0);
  }

  /**
   * With {@code options} (e.g. HTTPS and its trust); connections live at most {@code maxLifetimeS} seconds (0 =
   * for ever), so that a long run keeps making new handshakes (a reloaded server certificate is then used).
   */
  public OffloadLoad(int maxConnections, HttpClientOptions options, int maxLifetimeS) {
    client = vertx.createHttpClient(options.setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(maxConnections).setMaxLifetime(maxLifetimeS));
  }

  /**
   * Readies this generator itself before a measured run: {@code rounds} rounds of {@code connections} concurrent
   * {@code GET /v2/health/live} (status ignored), so its own class loading, JIT and first connections are not counted as
   * the first requests' latency (measured: a fresh generator JVM's first requests waited 0.5 s for its event loop and
   * 0.5 s more for its first connection). Nothing reaches the models.
   */
  public void warmGenerator(int port, MultiMap headers, int connections, int rounds) {
    for (int r = 0; r < rounds; r++) {
      List<io.vertx.core.Future<?>> all = new ArrayList<>();
      for (int i = 0; i < connections; i++) {
        all.add(client.request(new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(port)
            .setURI("/v2/health/live").setHeaders(headers).setTimeout(30_000))
            .compose(req -> req.send().compose(resp -> resp.body())));
      }
      io.vertx.core.Future.join(all).toCompletionStage().toCompletableFuture().exceptionally(x -> null).join();
    }
  }

  /**
   * Sends {@code rate × seconds} requests at a constant rate and waits for every answer (at most
   * {@code seconds + 30} s). Each of {@code events} runs once, on the generator thread, at the first arrival at or
   * after its time; one the run ends before still runs, after the last arrival (a heal is never skipped).
   */
  public List<Outcome> run(int port, String path, Buffer body, MultiMap headers, double rate, double seconds,
      At... events) throws InterruptedException {
    int n = (int) Math.round(rate * seconds);
    List<Outcome> out = Collections.synchronizedList(new ArrayList<>(n));
    CountDownLatch done = new CountDownLatch(n);
    long t0 = System.nanoTime();
    List<At> pending = new ArrayList<>(List.of(events));
    pending.sort((a, b) -> Long.compare(a.ms(), b.ms()));
    for (int i = 0; i < n; i++) {
      long due = t0 + (long) (i * 1e9 / rate);
      for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
        LockSupport.parkNanos(wait);
      }
      while (!pending.isEmpty() && System.nanoTime() - t0 >= pending.get(0).ms() * 1_000_000) {
        pending.remove(0).action().run();
      }
      vertx.runOnContext(v -> send(port, path, body, headers, t0, due, out, done));
    }
    pending.forEach(e -> e.action().run());
    if (!done.await((long) seconds + 30, TimeUnit.SECONDS)) {
      throw new AssertionError("load run: " + done.getCount() + " requests never completed");
    }
    List<Outcome> sorted = new ArrayList<>(out);
    sorted.sort((a, b) -> Double.compare(a.dueMs(), b.dueMs()));
    return sorted;
  }

  private void send(int port, String path, Buffer body, MultiMap headers, long t0, long due, List<Outcome> out,
      CountDownLatch done) {
    long sent = System.nanoTime();
    long[] connected = {-1};
    client.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port).setURI(path)
            .setHeaders(headers).setTimeout(30_000))
        .compose(req -> {
          connected[0] = (System.nanoTime() - sent) / 1000;
          return req.send(body);
        })
        .compose(resp -> resp.body().map(b -> Map.entry(resp, b)))
        .onComplete(ar -> {
          long end = System.nanoTime();
          double dueMs = (due - t0) / 1e6;
          if (ar.succeeded()) {
            var r = ar.result().getKey();
            String error = r.statusCode() == 200 ? null : ar.result().getValue().toString();
            out.add(new Outcome(dueMs, (end - due) / 1000, (end - sent) / 1000, r.statusCode(),
                r.getHeader("coedge-route"), r.getHeader("coedge-served-by"), r.getHeader("retry-after"), error,
                (sent - due) / 1000, connected[0], r.getHeader("coedge-path")));
          } else {
            out.add(new Outcome(dueMs, (end - due) / 1000, (end - sent) / 1000, 0, null, null, null,
                ar.cause().toString(), (sent - due) / 1000, connected[0], null));
          }
          done.countDown();
        });
  }

  /** The p-th percentile (0..100) of {@code values}, nearest rank; NaN when empty. */
  public static double percentile(List<Long> values, double p) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    List<Long> s = new ArrayList<>(values);
    Collections.sort(s);
    int rank = (int) Math.ceil(p / 100 * s.size());
    return s.get(Math.max(0, Math.min(s.size() - 1, rank - 1)));
  }

  @Override
  public void close() throws Exception {
    client.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
