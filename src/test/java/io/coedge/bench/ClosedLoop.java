package io.coedge.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Closed-loop load: N connections, each sends its next request as soon as the previous answer arrived, for a
 * fixed time; one JSON line on stdout. This is how "a sensor hub sending one reading at a time" (N = 1) and
 * "64 busy clients" behave; it measures throughput at a concurrency, not latency at a rate (LoadGen does that).
 *
 * <pre>ClosedLoop --url URL --body sensor|mlp|frame|FILE --connections N [--duration S] [--warmup S]
 *            [--server-pid PID] [--json-length N]</pre>
 */
public final class ClosedLoop {

  static final String USAGE = "--url URL --body sensor|mlp|frame|FILE --connections N [--duration S] [--warmup S]"
      + " [--server-pid PID] [--json-length N]";
  private static final int MAX_SAMPLES = 4_000_000;

  private ClosedLoop() {
  }

  public static void main(String[] args) {
    BenchArgs.run("ClosedLoop", USAGE, () -> {
      BenchArgs a = new BenchArgs(args, Set.of("url", "body", "connections", "duration", "warmup", "server-pid",
          "json-length"));
      URI url = URI.create(a.string("url", null));
      Payload body = Payload.of(a.string("body", null), a.integer("json-length", -1, -1, Integer.MAX_VALUE));
      int n = a.integer("connections", 1, 1, 1024);
      double duration = a.number("duration", 10, 1, 120);
      double warmup = a.number("warmup", 3, 0, 60);
      long pid = a.integer("server-pid", 0, 0, Integer.MAX_VALUE);
      System.out.println(run(url, body, n, warmup, duration, pid).encode());
    });
  }

  static JsonObject run(URI url, Payload body, int n, double warmupS, double durationS, long pid) throws Exception {
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    HttpClientAgent client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(n));
    RequestOptions ro = new RequestOptions().setMethod(HttpMethod.POST).setHost(url.getHost()).setPort(url.getPort())
        .setURI(url.getRawPath()).putHeader("content-type", body.contentType());
    if (body.jsonLength() >= 0) {
      ro.putHeader("Inference-Header-Content-Length", String.valueOf(body.jsonLength()));
    }
    long start = System.nanoTime();
    long measureFrom = start + (long) (warmupS * 1e9);
    long end = measureFrom + (long) (durationS * 1e9);
    long[] samples = new long[MAX_SAMPLES];
    AtomicLong count = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    CountDownLatch done = new CountDownLatch(n);
    CpuSnapshot[] cpu = new CpuSnapshot[2];
    long[] sleeps = new long[2];
    vertx.setTimer(Math.max(1, (measureFrom - start) / 1_000_000), t -> {
      cpu[0] = CpuSnapshot.take(pid);
      sleeps[0] = CpuSnapshot.threadSleeps(pid);
    });
    for (int i = 0; i < n; i++) {
      vertx.runOnContext(v -> loop(client, ro, body, measureFrom, end, samples, count, errors, done));
    }
    done.await((long) (warmupS + durationS) + 30, TimeUnit.SECONDS);
    cpu[1] = CpuSnapshot.take(pid);
    sleeps[1] = CpuSnapshot.threadSleeps(pid);
    client.close().await(10, TimeUnit.SECONDS);
    vertx.close().await(10, TimeUnit.SECONDS);
    int c = (int) Math.min(count.get(), MAX_SAMPLES);
    Percentiles p = new Percentiles(samples, c);
    double rps = count.get() / durationS;
    return new JsonObject().put("tool", "ClosedLoop").put("url", url.toString()).put("body", body.kind())
        .put("connections", n).put("requests", count.get()).put("errors", errors.get())
        .put("rps", Math.round(rps)).put("p50_ms", ms(p.millis(0.5)))
        .put("p99_ms", ms(p.millis(0.99))).put("p999_ms", ms(p.millis(0.999))).put("max_ms", ms(p.maxMillis()))
        .put("server_cpu_us_per_req", CpuSnapshot.usPerRequest(cpu[0].serverCores(cpu[1]), rps))
        .put("gen_cpu_us_per_req", CpuSnapshot.usPerRequest(cpu[0].selfCores(cpu[1]), rps))
        .put("other_cpu_cores", cpu[0].otherCores(cpu[1]))
        .put("server_sleeps_per_req", sleeps[0] < 0 || sleeps[1] < 0 || count.get() == 0 ? -1
            : Math.round((sleeps[1] - sleeps[0]) * 100.0 / count.get()) / 100.0);
  }

  private static double ms(double millis) {
    return Math.round(millis * 1000) / 1000.0;
  }

  private static void loop(HttpClientAgent client, RequestOptions ro, Payload body, long measureFrom, long end,
      long[] samples, AtomicLong count, AtomicLong errors, CountDownLatch done) {
    long t0 = System.nanoTime();
    if (t0 >= end) {
      done.countDown();
      return;
    }
    client.request(ro).compose(r -> r.send(body.body())).compose(r -> r.body().map(b -> r.statusCode()))
        .onComplete(ar -> {
          long t1 = System.nanoTime();
          if (t0 >= measureFrom && t1 <= end) {
            if (ar.succeeded() && ar.result() == 200) {
              long i = count.getAndIncrement();
              if (i < MAX_SAMPLES) {
                samples[(int) i] = t1 - t0;
              }
            } else {
              errors.incrementAndGet();
            }
          }
          loop(client, ro, body, measureFrom, end, samples, count, errors, done);
        });
  }
}
