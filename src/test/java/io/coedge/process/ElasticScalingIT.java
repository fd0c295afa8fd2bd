package io.coedge.process;

import static io.coedge.Eventually.within;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coedge.Ports;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;


/**
 * Elastic scaling end to end on loopback: one edge and one cloud node as processes ({@link SlowNode}: a node whose
 * capacity is its workers, so each started node adds real capacity on a shared box); the cloud node leads and its
 * {@code scale.command} is {@code src/test/resources/scale/cloud-nodes.sh}, which starts and stops cloud node
 * processes. A load step from 0.5 × to 3 × one cloud node's capacity (measured here) through the edge makes the
 * leader start nodes until the queues empty and p99 is within the objective; the step back down removes them,
 * each drained before its SIGTERM, after the stabilisation window; no request fails.
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class ElasticScalingIT {

  static final long EXTRA_US = 40_000; // each request keeps a worker 40 ms: 2 workers = 50 req/s per node
  static final double OBJECTIVE_MS = 1000;
  static final Path SCRIPT = Path.of("src/test/resources/scale/cloud-nodes.sh").toAbsolutePath();

  /** Logs, PID files and the generated models dir: under target/ so a failed run can be read afterwards. */
  static final Path dir = Path.of("target/scale-it").toAbsolutePath();
  private static final List<Process> OURS = new ArrayList<>();

  @BeforeAll
  static void cleanDir() throws Exception {
    if (Files.exists(dir)) {
      try (Stream<Path> all = Files.walk(dir)) {
        all.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }

  @AfterAll
  static void stopEverything() throws Exception {
    try (Stream<Path> pids = Files.list(dir.resolve("nodes"))) {
      for (Path p : pids.filter(f -> f.toString().endsWith(".pid")).toList()) {
        ProcessHandle.of(Long.parseLong(Files.readString(p).trim())).ifPresent(ProcessHandle::destroyForcibly);
      }
    } catch (java.io.IOException e) {
      // no node was started by the script
    }
    for (Process p : OURS) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void cloudCapacityFollowsALoadStepUpAndDownWithoutAFailedRequest() throws Exception {
    Path models = dir.resolve("models/add-one/1");
    Files.createDirectories(models);
    Files.copy(Path.of("src/test/resources/test-models/add-one/1/model.onnx"), models.resolve("model.onnx"));
    Files.writeString(models.getParent().resolve("config.yaml"), "max-batch-size: 1\nmax-queue: 5000\n");
    int cloudPort = Ports.free();
    int edgePort = Ports.free();
    int cloudMember = Ports.free();
    int edgeMember = Ports.free();
    Path nodes = dir.resolve("nodes");
    Files.createDirectories(nodes);
    Map<String, String> env = new HashMap<>();
    env.put("COEDGE_CLUSTER_NAME", "it-scale-" + ProcessHandle.current().pid());
    env.put("COEDGE_INFERENCE_WORKERS", "2");
    env.put("COEDGE_SCALE_ACTUATOR", "command");
    env.put("COEDGE_SCALE_COMMAND", SCRIPT.toString());
    env.put("COEDGE_SCALE_INTERVAL_MS", "1000");
    env.put("COEDGE_SCALE_STABILISATION_S", "6");
    env.put("COEDGE_SCALE_MAX_NODES", "4");
    env.put("SCALE_IT_DIR", nodes.toString());
    env.put("SCALE_IT_JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
    env.put("SCALE_IT_CP", classpath());
    env.put("SCALE_IT_MODELS", dir.resolve("models").toString());
    env.put("SCALE_IT_MEMBERS", "127.0.0.1:" + cloudMember);
    env.put("SCALE_IT_EXTRA_US", Long.toString(EXTRA_US));
    launch("cloud-0", "cloud", cloudPort, cloudMember, edgeMember, env);
    within(300_000, "cloud-0 ready", () -> JarProcess.body(url(cloudPort, "/v2/health/ready")) != null);
    launch("edge-0", "edge", edgePort, edgeMember, cloudMember, env);
    within(300_000, "edge-0 ready and seeing cloud-0", () -> cloudNodes(edgePort).contains("cloud-0"));

    double capacity = measureCapacity(edgePort); // the edge runs the same node as a cloud node
    try (OpenLoad load = new OpenLoad(edgePort, "add-one")) {
      load.rate(0.5 * capacity);
      within(60_000, "the leader's decision at half load: 1 node", () -> scale(edgePort) != null
          && scale(edgePort).getInteger("desiredNodes") == 1 && scale(edgePort).getInteger("currentNodes") == 1);

      long step = System.nanoTime();
      load.rate(3 * capacity);
      try {
        within(60_000, "the leader asks for more nodes", () -> desired(edgePort) >= 2);
      } catch (AssertionError e) {
        throw new AssertionError(e.getMessage() + "; decision: " + scale(edgePort) + "; table: " + table(edgePort), e);
      }
      within(240_000, "every node asked for is up and serving", () ->
          cloudNodes(edgePort).size() >= Math.max(2, desired(edgePort)));
      int grown = Math.max(desired(edgePort), cloudNodes(edgePort).size());
      within(240_000, "the backlog drained: nothing queued anywhere", () -> queued(edgePort) == 0);
      long drained = System.nanoTime();
      within(120_000, "3 s worth of requests sent after the queues emptied, answered", () -> load.samples().stream()
          .filter(x -> x.sentNanos() >= drained).count() >= 9 * capacity);
      List<OpenLoad.Sample> after = load.samples().stream().filter(s -> s.sentNanos() >= drained).toList();
      double p99 = OpenLoad.quantileMs(after, 0.99);
      System.out.printf("scale IT: capacity %.1f req/s per node, %d cloud nodes, objective met again %.1f s after "
          + "the step, p99 after %.1f ms over %d requests, %d of them on new nodes%n", capacity, grown,
          (drained - step) / 1e9, p99, after.size(), after.stream().filter(x -> x.servedBy().startsWith("scaled-"))
          .count());
      assertTrue(p99 <= OBJECTIVE_MS, "p99 " + p99 + " ms after the new nodes were ready");
      assertTrue(load.samples().stream().anyMatch(x -> x.servedBy().startsWith("scaled-")),
          "the started nodes served requests of the step");

      load.rate(0.5 * capacity);
      within(240_000, "back to one cloud node", () -> cloudNodes(edgePort).equals(List.of("cloud-0"))
          && pidFiles(nodes) == 0);
      load.rate(0);
      within(120_000, "every request sent was answered", () -> load.answered() == load.sent());
      List<OpenLoad.Sample> all = load.samples();
      List<OpenLoad.Sample> failed = all.stream().filter(s -> s.status() != 200).toList();
      assertEquals(List.of(), failed.subList(0, Math.min(5, failed.size())), failed.size() + " of " + all.size()
          + " requests failed");
    }
    String leaderLog = Files.readString(dir.resolve("cloud-0.log"));
    assertTrue(leaderLog.contains("scale decision: desired="), "one line per decision");
    assertTrue(leaderLog.contains("scale command success"), leaderLog);
    try (Stream<Path> logs = Files.list(nodes)) {
      for (Path log : logs.filter(f -> f.toString().endsWith(".log")).toList()) {
        assertTrue(Files.readString(log).contains("asked to drain"), log + " was stopped without draining first");
      }
    }
  }

  private static void launch(String id, String role, int port, int member, int peer, Map<String, String> env)
      throws Exception {
    ProcessBuilder pb = new ProcessBuilder(env.get("SCALE_IT_JAVA"), "-Xmx192m", "-XX:+UseSerialGC",
        "-Dslow.extra-us=" + EXTRA_US, "-cp", classpath(), SlowNode.class.getName(), "--node-id", id, "--role", role,
        "--port", String.valueOf(port), "--models", env.get("SCALE_IT_MODELS"), "--cluster-port",
        String.valueOf(member), "--cluster-members", "127.0.0.1:" + peer);
    pb.environment().putAll(env);
    pb.redirectErrorStream(true).redirectOutput(dir.resolve(id + ".log").toFile());
    OURS.add(pb.start());
  }

  private static String classpath() {
    return Path.of(System.getProperty("coedge.jar", "target/coedge.jar")).toAbsolutePath() + File.pathSeparator
        + Path.of("target/test-classes").toAbsolutePath();
  }

  /**
   * Requests/s one node answers when its queue never runs dry, measured on the edge with {@code offload: never}
   * (the same {@link SlowNode} as a cloud node; probing the leader would itself be demand it scales for).
   */
  private static double measureCapacity(int port) throws Exception {
    try (OpenLoad probe = new OpenLoad(port, "add-one", new JsonObject().put("offload", "never"))) {
      probe.rate(200); // well above a node's 50/s: its queue holds the rest
      within(60_000, "300 answers", () -> probe.answered() >= 300);
      probe.rate(0);
      List<OpenLoad.Sample> s = probe.samples();
      within(60_000, "the probe's backlog answered", () -> probe.answered() == probe.sent());
      List<OpenLoad.Sample> done = probe.samples().stream().sorted((a, b) -> Long.compare(a.sentNanos()
          + a.latencyNanos(), b.sentNanos() + b.latencyNanos())).toList();
      long first = done.get(49).sentNanos() + done.get(49).latencyNanos();
      long last = done.get(done.size() - 1).sentNanos() + done.get(done.size() - 1).latencyNanos();
      assertTrue(s.stream().allMatch(x -> x.status() == 200), "the capacity probe was answered");
      return (done.size() - 50) / ((last - first) / 1e9);
    }
  }

  private static String url(int port, String path) {
    return "http://127.0.0.1:" + port + path;
  }

  private static JsonObject scale(int port) {
    String body = JarProcess.body(url(port, "/v2/cluster/scale"));
    return body == null ? null : new JsonObject(body);
  }

  private static int desired(int port) {
    JsonObject s = scale(port);
    return s == null ? 0 : s.getInteger("desiredNodes");
  }

  private static List<JsonObject> table(int port) {
    String body = JarProcess.body(url(port, "/v2/cluster/nodes"));
    return body == null ? List.of() : new JsonObject(body).getJsonArray("nodes").stream()
        .map(JsonObject.class::cast).filter(n -> n.getBoolean("fresh")).toList();
  }

  /** Fresh, non-draining cloud nodes serving add-one, by id. */
  private static List<String> cloudNodes(int port) {
    return table(port).stream().filter(n -> n.getString("role").equals("cloud") && !n.getBoolean("draining")
        && n.getJsonArray("models").stream().map(JsonObject.class::cast).anyMatch(m -> m.getBoolean("ready")))
        .map(n -> n.getString("id")).sorted().toList();
  }

  /** Requests queued for add-one on every fresh node, as published. */
  private static int queued(int port) {
    return table(port).stream().flatMap(n -> n.getJsonArray("models").stream().map(JsonObject.class::cast))
        .mapToInt(m -> m.getInteger("queued")).sum();
  }

  /** PID files the script keeps: one per node it started and has not stopped (-1 when unreadable). */
  private static long pidFiles(Path nodes) {
    try (Stream<Path> s = Files.list(nodes)) {
      return s.filter(f -> f.toString().endsWith(".pid")).count();
    } catch (java.io.IOException e) {
      return -1;
    }
  }
}
