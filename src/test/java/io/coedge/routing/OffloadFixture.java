package io.coedge.routing;

import static io.coedge.Eventually.within;
import io.coedge.Gateway;
import io.coedge.bench.OffloadLoad;
import io.coedge.config.CoedgeConfig;
import io.coedge.config.ConfigSource;
import io.coedge.inference.SlowerHardware;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One edge and two cloud nodes in this JVM, clustered over real Hazelcast members on loopback, each cloud
 * behind its own {@link WanEmulator} (its advertised URL points at the emulator, so every offload crosses it).
 * The edge has one worker, no batching and emulated slower hardware (a fixed extra time per batch), so its
 * capacity C is small and known; the clouds run the shipped models at this machine's speed with batching.
 *
 * <p>Edge models (a temporary repository over the shipped files): {@code sensor-anomaly-large} (local-first),
 * {@code sensor-private} (the same bytes, edge-only) and {@code sensor-anomaly} (cascade to
 * sensor-anomaly-large below 0.9), all with the given latency objective.
 */
public final class OffloadFixture implements AutoCloseable {

  public static final String MODEL = "sensor-anomaly-large";
  public static final String PRIVATE = "sensor-private";
  public static final String CASCADE = "sensor-anomaly";
  public static final float[] CONFIDENT = {299.7f, 310.1f, 1564f, 42.3f, 147f, 3.3f, 0f, 13.3f};
  /** The small model gives 0.68 for its top class here (tool wear at the failure band's edge). */
  public static final float[] UNSURE = {300f, 310f, 1500f, 40f, 200f, 3f, 0f, 12f};

  public final Gateway edge;
  public final List<Gateway> clouds = new ArrayList<>();
  public final List<WanEmulator> links = new ArrayList<>();
  private final Path edgeModels;

  /**
   * @param extraUsPerBatch the edge's emulated slowness
   * @param sloUs           the models' latency objective on the edge
   * @param edgeOverrides   more config keys for the edge (e.g. {@code offload.static-threshold})
   */
  public OffloadFixture(String name, long extraUsPerBatch, long sloUs, double rttMs, double mbps,
      Map<String, String> edgeOverrides) throws Exception {
    edgeModels = edgeModels(sloUs);
    int[] hz = {freePort(), freePort(), freePort()};
    List<Future<Gateway>> starting = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      int http = freePort();
      WanEmulator link = new WanEmulator("127.0.0.1", http, rttMs, mbps);
      int proxy = link.start(0);
      links.add(link);
      Map<String, String> m = node(name, "cloud-" + i, "cloud", hz, i + 1);
      m.put("http.port", String.valueOf(http));
      m.put("cluster.advertise-url", "http://127.0.0.1:" + proxy);
      m.put("inference.models-dir", "models");
      starting.add(Gateway.start(CoedgeConfig.from(ConfigSource.of(m))));
    }
    Map<String, String> e = node(name, "edge", "edge", hz, 0);
    e.put("http.port", "0");
    e.put("inference.models-dir", edgeModels.toString());
    e.put("offload.probe-interval-ms", "250");
    e.put("offload.eject-base-ms", "3000");
    e.putAll(edgeOverrides);
    Future<Gateway> edgeStart = Gateway.start(CoedgeConfig.from(ConfigSource.of(e)),
        SlowerHardware.engines(1, extraUsPerBatch));
    for (Future<Gateway> f : starting) {
      clouds.add(await(f));
    }
    edge = await(edgeStart);
    within(15_000, "the edge sees both clouds serving " + MODEL, () -> candidates(MODEL) == 2);
  }

  /** Config of one clustered node on loopback: Hazelcast on {@code hz[self]}, the other ports as members. */
  public static Map<String, String> node(String cluster, String id, String role, int[] hz, int self) {
    Map<String, String> m = new HashMap<>();
    m.put("node.id", id);
    m.put("node.role", role);
    m.put("http.host", "127.0.0.1");
    m.put("inference.workers", "1");
    m.put("inference.intra-op-threads", "1");
    m.put("node.drain-timeout-s", "5"); // teardown: what a node still holds is answered 503 (and logged) after 5 s
    m.put("cluster.enabled", "true");
    m.put("cluster.name", cluster);
    m.put("cluster.port", String.valueOf(hz[self]));
    List<String> peers = new ArrayList<>();
    for (int i = 0; i < hz.length; i++) {
      if (i != self) {
        peers.add("127.0.0.1:" + hz[i]);
      }
    }
    m.put("cluster.members", String.join(",", peers));
    return m;
  }

  /**
   * An edge ({@code edge}) and one cloud node ({@code cloud-0}) on the shipped models, clustered on loopback, each
   * with {@code both} added to its config: {edge, cloud}, once the edge sees the cloud serving {@link #MODEL}.
   */
  public static Gateway[] edgeAndCloud(String cluster, Map<String, String> both) {
    int[] hz = {freePort(), freePort()};
    Map<String, String> c = node(cluster, "cloud-0", "cloud", hz, 1);
    Map<String, String> e = node(cluster, "edge", "edge", hz, 0);
    for (Map<String, String> m : List.of(c, e)) {
      m.putAll(Map.of("http.port", "0", "inference.models-dir", "models"));
      m.putAll(both);
    }
    Future<Gateway> cloudStart = Gateway.start(CoedgeConfig.from(ConfigSource.of(c)));
    Gateway edge = await(Gateway.start(CoedgeConfig.from(ConfigSource.of(e))));
    Gateway cloud = await(cloudStart);
    var mv = edge.engine().resolve(MODEL, null);
    within(60_000, "the edge sees the cloud serving " + MODEL,
        () -> !edge.cluster().candidates(mv.name(), mv.version(), mv.sha256()).isEmpty());
    return new Gateway[] {edge, cloud};
  }

  private static Path edgeModels(long sloUs) throws IOException {
    Path dir = Files.createTempDirectory("coedge-edge-models");
    Path large = Path.of("models", MODEL, "1", "model.onnx").toAbsolutePath();
    Path small = Path.of("models", CASCADE, "1", "model.onnx").toAbsolutePath();
    String common = "max-batch-size: 0\ntimeout-us: " + sloUs + "\nmax-queue: 64\n";
    model(dir, MODEL, large, common + "policy: local-first\n");
    model(dir, PRIVATE, large, common + "policy: edge-only\n");
    model(dir, CASCADE, small, common + "policy: cascade\ncascade-target: " + MODEL + "\ncascade-threshold: 0.9\n");
    return dir;
  }

  private static void model(Path dir, String name, Path onnx, String config) throws IOException {
    Files.createDirectories(dir.resolve(name).resolve("1"));
    // A copy, not a symbolic link: the node refuses files that point out of its repository.
    Files.copy(onnx, dir.resolve(name).resolve("1").resolve("model.onnx"));
    Files.writeString(dir.resolve(name).resolve("config.yaml"), config);
  }

  /** Cloud candidates the edge's view holds for {@code model} with the edge's own bytes. */
  public int candidates(String model) {
    var mv = edge.engine().resolve(model, null);
    return (int) edge.cluster().candidates(mv.name(), mv.version(), mv.sha256()).stream()
        .filter(n -> n.record().role().equals("cloud")).count();
  }

  /**
   * Warms the JIT on all three nodes and teaches the edge its links (offload: prefer, with a generous deadline so
   * cold first requests do not count as failures), then measures the edge's service time locally.
   */
  public void warmUp(OffloadLoad load) throws InterruptedException {
    int port = edge.port();
    load.run(port, path(MODEL), body(CONFIDENT, "prefer", 2_000_000), json(), 20, 1);
    load.run(port, path(MODEL), body(CONFIDENT, "prefer", 2_000_000), json(), 60, 2);
    load.run(port, path(MODEL), body(CONFIDENT, "never"), json(), 40, 2);
  }

  /**
   * {@code floorUs}, or {@code factor} × the median of a few idle answers (local and offloaded, each measured here) if
   * that is more: on a busy machine a latency objective grows with what the machine gives.
   */
  public long objective(long floorUs, int factor) {
    List<Long> idle = new ArrayList<>();
    try (io.coedge.Http http = new io.coedge.Http(edge.port())) {
      for (String offload : List.of("prefer", "never", "prefer", "never", "prefer", "never", "prefer")) {
        long t0 = System.nanoTime();
        var r = http.post(path(MODEL), body(CONFIDENT, offload, 10_000_000), json());
        if (r.statusCode() != 200) {
          throw new AssertionError(r.bodyAsString());
        }
        idle.add((System.nanoTime() - t0) / 1000);
      }
    }
    return Math.max(floorUs, factor * Math.round(io.coedge.bench.OffloadLoad.percentile(idle, 50)));
  }

  /** The edge's capacity C for {@link #MODEL}, req/s, from its measured service time. */
  public double capacity() {
    return 1e6 / edge.engine().load(MODEL, "1").serviceUs();
  }

  /** A v2 infer body with one row of 8 features (and {@code offload} if not null). */
  public static Buffer body(float[] row, String offload) {
    return body(row, offload, 0);
  }

  /** As {@link #body(float[], String)} with a {@code timeout} parameter (µs) unless 0. */
  public static Buffer body(float[] row, String offload, long timeoutUs) {
    JsonArray data = new JsonArray();
    for (float f : row) {
      data.add(f);
    }
    JsonObject body = new JsonObject().put("inputs", new JsonArray().add(new JsonObject().put("name", "features")
        .put("shape", new JsonArray().add(1).add(8)).put("datatype", "FP32").put("data", data)));
    JsonObject parameters = new JsonObject();
    if (offload != null) {
      parameters.put("offload", offload);
    }
    if (timeoutUs > 0) {
      parameters.put("timeout", timeoutUs);
    }
    if (!parameters.isEmpty()) {
      body.put("parameters", parameters);
    }
    return body.toBuffer();
  }

  public static MultiMap json() {
    return MultiMap.caseInsensitiveMultiMap().add("content-type", "application/json");
  }

  public static String path(String model) {
    return "/v2/models/" + model + "/infer";
  }

  /** Kills a cloud node as a crash would: its link goes dead and its Hazelcast member leaves without a word. */
  public void kill(int cloud) {
    links.get(cloud).cut();
    ((HazelcastClusterManager) ((VertxInternal) clouds.get(cloud).vertx()).clusterManager()).getHazelcastInstance()
        .getLifecycleService().terminate();
  }

  /** The edge's {@code coedge_offload_cost_total}: money spent on offloads so far. */
  public double cost() {
    double sum = 0;
    for (String line : scrape().split("\n")) {
      if (line.startsWith("coedge_offload_cost_total{")) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }

  /** Sum of the edge's {@code coedge_offload_total} samples whose labels contain every given fragment. */
  public double offloads(String... fragments) {
    double sum = 0;
    for (String line : scrape().split("\n")) {
      if (!line.startsWith("coedge_offload_total{")) {
        continue;
      }
      boolean all = true;
      for (String f : fragments) {
        all &= line.contains(f);
      }
      if (all) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }

  private String scrape() {
    try (var http = new io.coedge.Http(edge.port())) {
      return http.get("/metrics").bodyAsString();
    }
  }

  public static int freePort() {
    return io.coedge.Ports.free();
  }

  public static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Closes every node, even when one of them does not close in time (that one is named in the exception thrown at
   * the end), then the links: a node left running would load the tests after this one.
   */
  @Override
  public void close() throws Exception {
    List<Gateway> all = new ArrayList<>(clouds);
    all.add(edge);
    Exception first = null;
    for (Gateway g : all) {
      if (g == null) {
        continue;
      }
      try {
        g.close().recover(x -> Future.succeededFuture()).toCompletionStage().toCompletableFuture()
            .get(60, TimeUnit.SECONDS);
      } catch (Exception x) {
        Exception named = new IllegalStateException(g.config().node().id() + " did not close within 60 s", x);
        if (first == null) {
          first = named;
        } else {
          first.addSuppressed(named);
        }
      }
    }
    for (WanEmulator l : links) {
      l.close();
    }
    try (var files = Files.walk(edgeModels)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
    if (first != null) {
      throw first;
    }
  }
}
