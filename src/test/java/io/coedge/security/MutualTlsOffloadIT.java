package io.coedge.security;

import static io.coedge.routing.OffloadFixture.CONFIDENT;
import static io.coedge.routing.OffloadFixture.body;
import static io.coedge.routing.OffloadFixture.freePort;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coedge.Eventually;
import io.coedge.Gateway;
import io.coedge.config.CoedgeConfig;
import io.coedge.config.ConfigSource;
import io.coedge.observability.Scrape;
import io.coedge.routing.OffloadFixture;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Offload over mutual TLS between real clustered nodes on loopback: a cloud node and an edge with certificates
 * from the cluster CA, and an edge whose certificate comes from a foreign CA (it still trusts the cluster CA, so
 * only the cloud's check of its client certificate can stop it). Shipped model {@code sensor-anomaly}; requests
 * ask {@code offload: prefer}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MutualTlsOffloadIT {

  private static final String MODEL = "sensor-anomaly";
  private static final String PATH = "/v2/models/" + MODEL + "/infer";
  private static Path dir;
  private static Path clusterCa;
  private static Path foreignCa;
  private static Gateway cloud;
  private static Gateway edge;
  private static Gateway intruder;
  private static TlsClients clients;

  @BeforeAll
  static void start() throws Exception {
    dir = Files.createTempDirectory("coedge-mtls");
    TestPki.Ca ca = TestPki.ca("cluster-ca");
    TestPki.Ca foreign = TestPki.ca("foreign-ca");
    clusterCa = ca.write(dir, "ca");
    foreignCa = foreign.write(dir, "foreign-ca");
    int[] hz = {freePort(), freePort(), freePort()};
    List<Future<Gateway>> starting = new ArrayList<>();
    starting.add(start(node("cloud", "cloud", hz, 0, ca.node("cloud").write(dir, "cloud"))));
    Map<String, String> e = node("edge", "edge", hz, 1, ca.node("edge").write(dir, "edge"));
    e.put("offload.price-per-request", "0.5"); // so that coedge_offload_cost_total counts something
    starting.add(start(e));
    Map<String, String> m = node("intruder", "edge", hz, 2, foreign.node("intruder").write(dir, "intruder"));
    m.put("offload.probe-interval-ms", "0"); // so that only requests try the cloud (a failed probe would eject it)
    starting.add(start(m));
    cloud = Eventually.await(starting.get(0));
    edge = Eventually.await(starting.get(1));
    intruder = Eventually.await(starting.get(2));
    clients = new TlsClients();
    Eventually.within(20_000, "both edges see the cloud serving " + MODEL,
        () -> sawCloud(edge) && sawCloud(intruder));
  }

  private static Map<String, String> node(String id, String role, int[] hz, int self, TestPki.PemPair cert) {
    Map<String, String> m = OffloadFixture.node("it-mtls", id, role, hz, self);
    m.put("http.port", "0");
    m.put("inference.models-dir", "models");
    m.put("security.tls.cert", cert.cert().toString());
    m.put("security.tls.key", cert.key().toString());
    m.put("security.tls.ca", clusterCa.toString());
    m.put("security.tls.reload-interval-s", "0");
    return m;
  }

  private static Future<Gateway> start(Map<String, String> m) {
    return Gateway.start(CoedgeConfig.from(ConfigSource.of(m)));
  }

  private static boolean sawCloud(Gateway g) {
    var mv = g.engine().resolve(MODEL, null);
    return g.cluster().candidates(mv.name(), mv.version(), mv.sha256()).stream()
        .anyMatch(n -> n.id().equals("cloud") && n.record().url().startsWith("https://127.0.0.1:"));
  }

  @AfterAll
  static void stop() throws Exception {
    for (Gateway g : new Gateway[] {intruder, edge, cloud}) {
      if (g != null) {
        Eventually.await(g.close().recover(x -> Future.succeededFuture()));
      }
    }
    if (clients != null) {
      clients.close();
    }
    TlsFiles.delete(dir);
  }

  private static HttpResponse<Buffer> preferCloud(Gateway g, Path trust) throws Exception {
    WebClient c = clients.client(g.port(), trust, null, HttpVersion.HTTP_1_1);
    return Eventually.await(c.post(PATH).putHeader("content-type", "application/json")
        .sendBuffer(body(CONFIDENT, "prefer", 2_000_000)));
  }

  /** Answers the cloud itself computed, from its own metrics. */
  private static double servedByCloud() throws Exception {
    return metric(cloud, clusterCa, "coedge_inference_request_success_total{");
  }

  /** Sum of a node's samples of one metric for {@link #MODEL}. */
  private static double metric(Gateway g, Path trust, String prefix) throws Exception {
    String text = scrape(g, trust);
    double sum = 0;
    for (String line : text.split("\n")) {
      if (line.startsWith(prefix) && line.contains("model=\"" + MODEL + "\"")) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }

  private static String scrape(Gateway g, Path trust) throws Exception {
    WebClient c = clients.client(g.port(), trust, null, HttpVersion.HTTP_1_1);
    return Eventually.await(c.get("/metrics").send()).bodyAsString();
  }

  @Test
  void anEdgeWithAClusterCertificateOffloadsToTheCloudOverMutualTls() throws Exception {
    double before = servedByCloud();
    HttpResponse<Buffer> r = preferCloud(edge, clusterCa);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    assertEquals("offload", r.getHeader("coedge-route"));
    assertEquals("cloud", r.getHeader("coedge-served-by"));
    assertEquals(before + 1, servedByCloud());
    Scrape m = Scrape.parse(scrape(edge, clusterCa));
    assertEquals(Set.of(Set.of("model", "reason", "target")), m.labelKeys("coedge_offload_total"));
    assertEquals(Set.of(Set.of("model")), m.labelKeys("coedge_offload_cost_total"));
    assertTrue(m.sum("coedge_offload_total", Map.of("model", MODEL, "target", "cloud")) >= 1);
    assertTrue(m.sum("coedge_offload_cost_total", Map.of("model", MODEL)) >= 0.5);
  }

  @Test
  void anEdgeWithAForeignCertificateIsRefusedByTheCloudAndAnswersLocally() throws Exception {
    double before = servedByCloud();
    for (int i = 0; i < 3; i++) {
      HttpResponse<Buffer> r = preferCloud(intruder, foreignCa);
      assertNotEquals(500, r.statusCode(), r.bodyAsString());
      assertTrue(r.statusCode() == 200 || r.statusCode() == 503, r.statusCode() + " " + r.bodyAsString());
      if (r.statusCode() == 200) {
        assertEquals("intruder", r.getHeader("coedge-served-by"));
        assertTrue(List.of("local", "fallback").contains(r.getHeader("coedge-route")), r.getHeader("coedge-route"));
      }
    }
    assertTrue(metric(intruder, foreignCa, "coedge_offload_total{") > 0, "the intruder did try the cloud");
    assertEquals(before, servedByCloud(), "the cloud computed nothing for the intruder");
  }
}
