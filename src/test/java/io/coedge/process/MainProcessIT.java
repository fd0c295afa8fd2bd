package io.coedge.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The jar as an operator runs it: defaults, quiet logs, the probe, bad config, graceful stop. */
@Timeout(420)
class MainProcessIT {

  /** Hazelcast's start-up chatter that must not reach an operator's log by default. */
  private static final List<String> NOISE = List.of("o---o", "Copyright", "Jet engine", "CP Subsystem",
      "No join method", "Integrity Checker");

  @Test
  void jarOnItsDefaultsServesTheShippedModelsQuietlyAndAnswersTheProbe() throws Exception {
    int port = JarProcess.freePort();
    int clusterPort = JarProcess.freePort();
    try (JarProcess p = JarProcess.start(Map.of(), "--port", Integer.toString(port), "--cluster-port",
        Integer.toString(clusterPort))) {
      String base = "http://127.0.0.1:" + port;
      p.awaitOk(base + "/v2/health/ready");
      HttpClient c = HttpClient.newHttpClient();
      String body = "{\"inputs\":[{\"name\":\"features\",\"shape\":[1,8],\"datatype\":\"FP32\","
          + "\"data\":[298.1,308.6,1551,42.8,0,3.1,1,0]}]}";
      HttpResponse<String> r = c.send(HttpRequest.newBuilder(URI.create(base + "/v2/models/sensor-anomaly/infer"))
          .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode(), r.body());
      assertTrue(r.body().contains("\"probabilities\""), r.body());
      // The embedded member listens on the cluster port, bound to loopback, and this node's record carries its
      // Hazelcast member id (a node without Hazelcast publishes an empty one).
      assertTrue(listens(clusterPort), "nothing listens on the cluster port " + clusterPort);
      JsonObject table = new JsonObject(JarProcess.body(base + "/v2/cluster/nodes"));
      assertTrue(table.getBoolean("joined"), table.encode());
      JsonObject self = table.getJsonArray("nodes").stream().map(JsonObject.class::cast)
          .filter(n -> n.getString("id").equals(table.getString("node"))).findFirst().orElseThrow();
      assertFalse(self.getString("member").isEmpty(), "no Hazelcast member id: " + table.encode());
      assertEquals(0, exit(JarProcess.start(Map.of(), "--probe", "--port", Integer.toString(port))));
      String log = p.output();
      assertTrue(log.contains(") ready on 127.0.0.1:" + port + " in "), log);
      for (String noise : NOISE) {
        assertFalse(log.contains(noise), "'" + noise + "' in the default log:\n" + log);
      }
      assertTrue(log.lines().allMatch(l -> l.matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} .*")),
          "every line starts with a readable time:\n" + log);
      p.process().destroy();
      assertTrue(p.process().waitFor(20, TimeUnit.SECONDS), "stops on SIGTERM");
      assertTrue(p.output().contains("shutting down"), p.output());
    }
    assertEquals(1, exit(JarProcess.start(Map.of(), "--probe", "http://127.0.0.1:" + port + "/v2/health/ready")));
  }

  /** Whether something accepts TCP connections on loopback {@code port}. */
  private static boolean listens(int port) throws Exception {
    try (Socket s = new Socket("127.0.0.1", port)) {
      return true;
    } catch (ConnectException e) {
      return false;
    }
  }

  @Test
  void badConfigValueStopsBeforeAnyPortOpensNamingKeyValueAndAllowed() throws Exception {
    int port = JarProcess.freePort();
    try (JarProcess p = JarProcess.start(Map.of("COEDGE_INFERENCE_WORKERS", "lots"), "--port",
        Integer.toString(port))) {
      assertTrue(p.process().waitFor(30, TimeUnit.SECONDS));
      assertEquals(2, p.process().exitValue());
      String out = p.output();
      assertTrue(out.contains("inference.workers") && out.contains("lots") && out.contains("allowed")
          && out.contains("env COEDGE_INFERENCE_WORKERS"), out);
      assertEquals(1, out.strip().lines().count(), out);
      assertFalse(listens(port), "something listens on the HTTP port");
    }
  }

  @Test
  void helpAndVersionAnswerWithoutStartingANode() throws Exception {
    for (String flag : List.of("--help", "-h")) {
      try (JarProcess p = JarProcess.start(Map.of(), flag)) {
        assertEquals(0, exit(p));
        assertTrue(p.output().contains("--probe [URL]") && p.output().contains("COEDGE_LOG_FORMAT"), p.output());
      }
    }
    try (JarProcess p = JarProcess.start(Map.of(), "--version")) {
      assertEquals(0, exit(p));
      assertTrue(p.output().startsWith("coedge "), p.output());
    }
  }

  private static int exit(JarProcess p) throws Exception {
    assertTrue(p.process().waitFor(60, TimeUnit.SECONDS), "exits instead of hanging");
    return p.process().exitValue();
  }

  @Test
  void busyPortsAndAMissingModelDirectoryStopTheStartInOneLineWithExitCodeOne() throws Exception {
    java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("coedge-start");
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      String busy = Integer.toString(taken.getLocalPort());
      String models = java.nio.file.Path.of("models").toAbsolutePath().toString();
      Map<String, List<String>> cases = Map.of(
          "http.port " + busy, List.of("--port", busy, "--models", models),
          "cluster.port " + busy, List.of("--port", "0", "--cluster-port", busy, "--models", models),
          "inference.models-dir", List.of("--port", "0", "--models", dir.resolve("nowhere").toString()));
      for (int run = 0; run < 3; run++) {
        for (Map.Entry<String, List<String>> c : cases.entrySet()) {
          try (JarProcess p = JarProcess.startIn(dir, Map.of(), c.getValue().toArray(String[]::new))) {
            assertEquals(1, exit(p), p.output());
            String out = p.output().strip();
            assertEquals(1, out.lines().count(), "one line:\n" + out);
            assertTrue(out.startsWith("coedge: " + c.getKey()) && !out.contains("Exception"), out);
          }
        }
      }
      try (var files = java.nio.file.Files.list(dir)) {
        assertEquals(0, files.count(), "no hs_err_pid file, nothing written");
      }
    }
  }
}
