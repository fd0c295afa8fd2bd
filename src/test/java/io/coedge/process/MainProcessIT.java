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
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The jar as an operator runs it: defaults, bad config, graceful stop. */
@Timeout(420)
class MainProcessIT {

  @Test
  void jarOnItsDefaultsServesTheShippedModelsWithAnEmbeddedHazelcastMember() throws Exception {
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
      p.process().destroy();
      assertTrue(p.process().waitFor(20, TimeUnit.SECONDS), "stops on SIGTERM");
      assertTrue(p.output().contains("shutting down"), p.output());
    }
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
      assertTrue(out.contains("inference.workers") && out.contains("lots") && out.contains("allowed"), out);
      assertFalse(listens(port), "something listens on the HTTP port");
    }
  }

  @Test
  void busyHttpPortStopsTheProcessWithExitCodeOneAndSaysWhy() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();
      try (JarProcess p = JarProcess.start(Map.of(), "--port", Integer.toString(port), "--cluster-port",
          Integer.toString(JarProcess.freePort()))) {
        assertTrue(p.process().waitFor(60, TimeUnit.SECONDS), "exits instead of hanging:\n" + p.output());
        assertEquals(1, p.process().exitValue(), p.output());
        assertTrue(p.output().contains("start failed") && p.output().contains("Address already in use"),
            p.output());
      }
    }
  }
}
