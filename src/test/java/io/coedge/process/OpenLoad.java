package io.coedge.process;

import io.vertx.core.Vertx;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Open-loop load for process tests: {@code add-one} requests at a settable rate, sent on a timer whatever the
 * answers do, each one's send time, latency and status kept. The rate is set by the test (from the capacity it
 * measured); the figures are what the test asserts on.
 */
final class OpenLoad implements AutoCloseable {

  /** One request: sent at {@code sentNanos}, answered with {@code status} after {@code latencyNanos}. */
  record Sample(long sentNanos, long latencyNanos, int status, String servedBy) {
  }

  private static final long TICK_MS = 10;
  private final Vertx vertx = Vertx.vertx();
  private final WebClient client;
  private final String path;
  private final JsonObject body = new JsonObject().put("inputs", new JsonArray().add(new JsonObject()
      .put("name", "x").put("shape", new JsonArray().add(1).add(4)).put("datatype", "FP32")
      .put("data", new JsonArray().add(1).add(2).add(3).add(4))));
  private final List<Sample> samples = new ArrayList<>(); // guarded by this
  private final AtomicLong sent = new AtomicLong();
  private volatile double ratePerS;
  private double owed;
  private long timer = -1;

  OpenLoad(int port, String model) {
    this(port, model, null);
  }

  /** With request {@code parameters} (e.g. {@code offload: never}), or null for none. */
  OpenLoad(int port, String model, JsonObject parameters) {
    if (parameters != null) {
      body.put("parameters", parameters);
    }
    this.client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port),
        new PoolOptions().setHttp1MaxSize(1024));
    this.path = "/v2/models/" + model + "/infer";
  }

  /** Sends at {@code perS} from now on (0 pauses). */
  void rate(double perS) {
    ratePerS = perS;
    if (timer < 0) {
      timer = vertx.setPeriodic(TICK_MS, t -> tick());
    }
  }

  private void tick() {
    owed += ratePerS * TICK_MS / 1000.0;
    while (owed >= 1) {
      owed--;
      long t0 = System.nanoTime();
      sent.incrementAndGet();
      client.post(path).putHeader("content-type", "application/json").sendBuffer(body.toBuffer())
          .onComplete(ar -> record(new Sample(t0, System.nanoTime() - t0,
              ar.succeeded() ? ar.result().statusCode() : -1,
              ar.succeeded() ? String.valueOf(ar.result().getHeader("coedge-served-by")) : String.valueOf(ar.cause()))));
    }
  }

  private synchronized void record(Sample s) {
    samples.add(s);
  }

  long sent() {
    return sent.get();
  }

  synchronized List<Sample> samples() {
    return List.copyOf(samples);
  }

  /** Answers (of any status) received so far. */
  synchronized int answered() {
    return samples.size();
  }

  @Override
  public void close() {
    client.close();
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }

  /** The {@code q} quantile (0..1) of the latencies of {@code s}, ms. */
  static double quantileMs(List<Sample> s, double q) {
    long[] l = s.stream().mapToLong(Sample::latencyNanos).sorted().toArray();
    return l.length == 0 ? 0 : l[Math.min(l.length - 1, (int) Math.ceil(q * l.length) - 1)] / 1e6;
  }
}
