package io.coedge.cluster;

import static io.coedge.Eventually.within;
import static io.coedge.cluster.ClusterTestSupport.freePort;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/** Three {@code java -jar coedge.jar} processes on loopback: start, kill -9, restart. One scenario, in order. */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterProcessesIT {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final int N = 3;
  private static final List<Integer> HTTP_PORTS = new ArrayList<>();
  private static final List<Integer> CLUSTER_PORTS = new ArrayList<>();
  private static final Process[] PROCESSES = new Process[N];
  private static Path jar;

  @BeforeAll
  static void choosePorts() {
    jar = Path.of(System.getProperty("coedge.jar", "target/coedge.jar"));
    assertTrue(Files.isRegularFile(jar), "build the jar first (mvn package): " + jar);
    for (int i = 0; i < N; i++) {
      HTTP_PORTS.add(freePort("127.0.0.1"));
      CLUSTER_PORTS.add(freePort("127.0.0.1"));
    }
  }

  @AfterAll
  static void destroyAll() throws InterruptedException {
    for (Process p : PROCESSES) {
      if (p != null) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  static Process launch(int i) throws Exception {
    String members = CLUSTER_PORTS.stream().filter(p -> !p.equals(CLUSTER_PORTS.get(i)))
        .map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
    ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-XX:+UseSerialGC", "-jar", jar.toString(), "--node-id", "p" + i,
        "--port", String.valueOf(HTTP_PORTS.get(i)), "--models", ClusterTestSupport.MODELS.toAbsolutePath().toString(),
        "--cluster-port", String.valueOf(CLUSTER_PORTS.get(i)), "--cluster-members", members);
    pb.environment().put("COEDGE_CLUSTER_NAME", "it-processes");
    pb.environment().put("COEDGE_NODE_ROLE", "cloud");
    pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(
        new File(jar.getParent().toFile(), "it-process-p" + i + ".log")));
    return pb.start();
  }

  /** Ids of the fresh nodes in {@code /v2/cluster/nodes} of process {@code i}; empty when it does not answer. */
  static Set<String> freshSeenBy(int i) {
    try {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + HTTP_PORTS.get(i) + "/v2/cluster/nodes")).timeout(Duration.ofSeconds(10))
          .build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        return Set.of();
      }
      return new JsonObject(r.body()).getJsonArray("nodes").stream().map(o -> (JsonObject) o)
          .filter(o -> o.getBoolean("fresh")).map(o -> o.getString("id")).collect(Collectors.toSet());
    } catch (Exception e) {
      return Set.of();
    }
  }

  static boolean ready(int i) {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + HTTP_PORTS.get(i) + "/v2/health/ready"))
          .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (Exception e) {
      return false;
    }
  }

  @Test
  @Order(1)
  void threeProcessesSeeEachOthersRecordsFresh() throws Exception {
    for (int i = 0; i < N; i++) {
      PROCESSES[i] = launch(i);
    }
    within(300_000, "all three processes ready", () -> ready(0) && ready(1) && ready(2));
    within(30_000, "every process lists all three fresh", () ->
        freshSeenBy(0).size() == 3 && freshSeenBy(1).size() == 3 && freshSeenBy(2).size() == 3);
  }

  @Test
  @Order(2)
  void aKilledProcessLeavesEverySurvivorsFreshView() throws Exception {
    PROCESSES[2].destroyForcibly(); // SIGKILL: no draining, no goodbye
    within(30_000, "p2 gone from the fresh views of p0 and p1", () ->
        freshSeenBy(0).equals(Set.of("p0", "p1")) && freshSeenBy(1).equals(Set.of("p0", "p1")));
    PROCESSES[2].waitFor(10, TimeUnit.SECONDS);
  }

  @Test
  @Order(3)
  void aRestartedProcessComesBackEverywhere() throws Exception {
    PROCESSES[2] = launch(2);
    within(300_000, "p2 ready again", () -> ready(2));
    within(30_000, "all three fresh everywhere again", () ->
        freshSeenBy(0).size() == 3 && freshSeenBy(1).size() == 3 && freshSeenBy(2).size() == 3);
  }
}
