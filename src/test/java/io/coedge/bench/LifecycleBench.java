package io.coedge.bench;

import io.coedge.Eventually;
import io.coedge.Gateway;
import io.coedge.Http;
import io.coedge.TestNodes;
import io.coedge.security.ModelSignatures;
import io.coedge.security.SignModelTool;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Model lifecycle figures for the 16 MB shipped model (sensor-anomaly-large): signature verification cost against
 * hashing and loading, publish-to-serving time in explicit and poll mode, and p99 latency under closed-loop load
 * before and during a swap. Prints one Markdown table. Usage: {@code LifecycleBench [rounds=3] [clients=4]}.
 */
public final class LifecycleBench {

  static final String MODEL = "sensor-anomaly-large";
  static final Path SOURCE = Path.of("models", MODEL, "1", "model.onnx");

  private LifecycleBench() {
  }

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    int clients = args.length > 1 ? Integer.parseInt(args[1]) : 4;
    Path tmp = Files.createTempDirectory("coedge-lifecycle");
    System.out.println("| measure | value |\n|---|---|");
    verification(tmp.resolve("sig"), rounds);
    for (String mode : List.of("explicit", "poll")) {
      Path repo = tmp.resolve(mode);
      publish(repo, 1);
      Gateway node = TestNodes.start(repo.toString(), Map.of("inference.model-control", mode,
          "inference.poll-interval-s", "1"));
      try (Http http = new Http(node.port())) {
        List<Double> ms = new ArrayList<>();
        for (int v = 2; v < 2 + rounds; v++) {
          ms.add(publishToServing(http, repo, v, mode.equals("explicit")));
        }
        row("publish → serving, " + mode + " (ms, median of " + rounds + ")", median(ms));
        if (mode.equals("explicit")) {
          swapLatency(http, repo, 2 + rounds, clients);
        }
      } finally {
        TestNodes.stop(node);
      }
    }
  }

  private static void verification(Path dir, int rounds) throws Exception {
    Path v = Files.createDirectories(dir.resolve(MODEL).resolve("1"));
    Files.copy(SOURCE, v.resolve("model.onnx"));
    String pub = SignModelTool.newKey(dir.resolve("k"));
    SignModelTool.sign(dir.resolve("k"), v);
    ModelSignatures sigs = new ModelSignatures(List.of(pub), true);
    List<Double> verify = new ArrayList<>();
    List<Double> hash = new ArrayList<>();
    for (int i = 0; i < rounds * 3; i++) {
      long t0 = System.nanoTime();
      sigs.verify(v, MODEL, "1");
      long t1 = System.nanoTime();
      io.coedge.security.Manifest.sha256(Files.readAllBytes(v.resolve("model.onnx")));
      long t2 = System.nanoTime();
      verify.add((t1 - t0) / 1e6);
      hash.add((t2 - t1) / 1e6);
    }
    row("verify the manifest signature (ms, median)", median(verify));
    row("read + sha256 of model.onnx alone (ms, median)", median(hash));
  }

  static Path publish(Path repo, int version) throws Exception {
    Path staging = Files.createDirectories(repo.resolve(MODEL).resolve(".staging-" + version));
    Files.copy(SOURCE, staging.resolve("model.onnx"), StandardCopyOption.REPLACE_EXISTING);
    return Files.move(staging, repo.resolve(MODEL).resolve(String.valueOf(version)), StandardCopyOption.ATOMIC_MOVE);
  }

  private static double publishToServing(Http http, Path repo, int version, boolean explicit) throws Exception {
    Path staging = Files.createDirectories(repo.resolve(MODEL).resolve(".staging-" + version));
    Files.copy(SOURCE, staging.resolve("model.onnx"));
    long t0 = System.nanoTime();
    Files.move(staging, repo.resolve(MODEL).resolve(String.valueOf(version)), StandardCopyOption.ATOMIC_MOVE);
    if (explicit) {
      http.post("/v2/repository/models/" + MODEL + "/load", new JsonObject());
    }
    while (!String.valueOf(version).equals(served(http))) {
      Thread.sleep(10); // a probe interval for the measurement, not an ordering
    }
    return (System.nanoTime() - t0) / 1e6;
  }

  private static String served(Http http) {
    HttpResponse<Buffer> r = http.post("/v2/models/" + MODEL + "/infer", new JsonObject(Payload.SENSOR_JSON));
    return r.statusCode() == 200 ? r.bodyAsJsonObject().getString("model_version") : "";
  }

  private static void swapLatency(Http http, Path repo, int version, int clients) throws Exception {
    List<Double> before = Collections.synchronizedList(new ArrayList<>());
    List<Double> during = Collections.synchronizedList(new ArrayList<>());
    List<String> errors = Collections.synchronizedList(new ArrayList<>());
    AtomicBoolean swapping = new AtomicBoolean();
    AtomicBoolean stop = new AtomicBoolean();
    List<Future<Void>> loops = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      loops.add(loop(http, swapping, stop, before, during, errors));
    }
    Thread.sleep(3000);
    Path staging = Files.createDirectories(repo.resolve(MODEL).resolve(".staging-" + version));
    Files.copy(SOURCE, staging.resolve("model.onnx"));
    Files.move(staging, repo.resolve(MODEL).resolve(String.valueOf(version)), StandardCopyOption.ATOMIC_MOVE);
    swapping.set(true);
    http.post("/v2/repository/models/" + MODEL + "/load", new JsonObject());
    Thread.sleep(1000);
    stop.set(true);
    Eventually.await(Future.all(loops));
    row("p99 before swap (ms, " + before.size() + " requests, " + clients + " clients)", p99(before));
    row("p99 during swap incl. 1 s after (ms, " + during.size() + " requests)", p99(during));
    row("failed requests during the run", errors.size());
  }

  private static Future<Void> loop(Http http, AtomicBoolean swapping, AtomicBoolean stop, List<Double> before,
      List<Double> during, List<String> errors) {
    if (stop.get()) {
      return Future.succeededFuture();
    }
    boolean phase = swapping.get();
    long t0 = System.nanoTime();
    return http.postAsync("/v2/models/" + MODEL + "/infer", new JsonObject(Payload.SENSOR_JSON)).transform(ar -> {
      if (ar.failed() || ar.result().statusCode() != 200) {
        errors.add(ar.failed() ? ar.cause().toString() : ar.result().bodyAsString());
      } else {
        (phase ? during : before).add((System.nanoTime() - t0) / 1e6);
      }
      return loop(http, swapping, stop, before, during, errors);
    });
  }

  static double median(List<Double> xs) {
    List<Double> s = new ArrayList<>(xs);
    Collections.sort(s);
    return s.isEmpty() ? Double.NaN : s.get(s.size() / 2);
  }

  static double p99(List<Double> xs) {
    List<Double> s = new ArrayList<>(xs);
    Collections.sort(s);
    return s.isEmpty() ? Double.NaN : s.get(Math.min(s.size() - 1, (int) Math.ceil(s.size() * 0.99) - 1));
  }

  private static void row(String what, double value) {
    System.out.printf("| %s | %.1f |%n", what, value);
  }
}
