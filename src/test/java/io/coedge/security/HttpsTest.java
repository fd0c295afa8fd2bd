package io.coedge.security;

import static io.coedge.Eventually.await;
import static io.coedge.Eventually.failure;
import static io.coedge.security.TlsClients.infer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coedge.Gateway;
import io.coedge.TestNodes;
import io.coedge.config.TlsConfig;
import io.coedge.routing.RemoteAnswer;
import io.coedge.routing.RemoteClient;
import io.coedge.routing.RemoteFailure;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One node serving HTTPS with mutual TLS on (cluster CA configured), real handshakes on loopback, the committed
 * add-one model: who gets through, over which protocol, and what a node certificate unlocks.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HttpsTest {

  private static Path dir;
  private static TestPki.Ca cluster;
  private static Path caFile;
  private static TestPki.PemPair nodeCert;
  private static TestPki.PemPair peerCert;
  private static TestPki.Issued peer;
  private static TestPki.Issued foreign;
  private static TestPki.Issued expiredPeer;
  private static TestPki.PemPair foreignCert;
  private static TestPki.PemPair expiredPeerCert;
  private static Gateway node;
  private static TlsClients clients;

  @BeforeAll
  static void start() throws Exception {
    dir = Files.createTempDirectory("coedge-https");
    cluster = TestPki.ca("cluster-ca");
    caFile = cluster.write(dir, "ca");
    nodeCert = cluster.node("node-a").write(dir, "node-a");
    peer = cluster.node("node-b");
    peerCert = peer.write(dir, "node-b");
    expiredPeer = cluster.expired("node-old");
    expiredPeerCert = expiredPeer.write(dir, "node-old");
    foreign = TestPki.ca("foreign-ca").node("intruder");
    foreignCert = foreign.write(dir, "intruder");
    node = TestNodes.start(TestNodes.TEST_MODELS, Map.of("security.tls.cert", nodeCert.cert().toString(),
        "security.tls.key", nodeCert.key().toString(), "security.tls.ca", caFile.toString(),
        "security.tls.reload-interval-s", "0"));
    clients = new TlsClients();
  }

  @AfterAll
  static void stop() throws Exception {
    TestNodes.stop(node);
    if (clients != null) {
      clients.close();
    }
    TlsFiles.delete(dir);
  }

  private static WebClient client(TestPki.PemPair cert, HttpVersion version) {
    return clients.client(node.port(), caFile, cert, version);
  }

  private static void assertAddOneAnswer(HttpResponse<Buffer> r) {
    assertEquals(200, r.statusCode(), r.bodyAsString());
    JsonObject y = r.bodyAsJsonObject().getJsonArray("outputs").getJsonObject(0);
    assertEquals(new JsonArray().add(3.0).add(4.0).add(5.0).add(6.0), y.getJsonArray("data"));
  }

  @Test
  void inferWorksOverHttpsWithHttp11() throws Exception {
    HttpResponse<Buffer> r = await(infer(client(null, HttpVersion.HTTP_1_1)));
    assertAddOneAnswer(r);
    assertEquals(HttpVersion.HTTP_1_1, r.version());
    assertEquals("local", r.getHeader("coedge-route"));
  }

  @Test
  void inferWorksOverHttpsWithHttp2NegotiatedByAlpn() throws Exception {
    HttpResponse<Buffer> r = await(infer(client(null, HttpVersion.HTTP_2)));
    assertAddOneAnswer(r);
    assertEquals(HttpVersion.HTTP_2, r.version());
  }

  @Test
  void theNodeAdvertisesAnHttpsUrl() throws Exception {
    HttpResponse<Buffer> r = await(client(null, HttpVersion.HTTP_1_1).get("/v2/cluster/nodes").send());
    assertEquals(200, r.statusCode(), r.bodyAsString());
    assertEquals("https://127.0.0.1:" + node.port(),
        r.bodyAsJsonObject().getJsonArray("nodes").getJsonObject(0).getString("url"));
  }

  @Test
  void aClientWithoutCertificateIsServedButItsNodeCallIsRefusedWith403() throws Exception {
    WebClient apiClient = client(null, HttpVersion.HTTP_1_1);
    assertAddOneAnswer(await(infer(apiClient)));

    HttpResponse<Buffer> hop = await(infer(apiClient, "coedge-hop", "1", "coedge-timeout-us", "500000"));
    assertEquals(403, hop.statusCode(), hop.bodyAsString());
    assertTrue(hop.bodyAsJsonObject().getString("error").contains("coedge-hop"), hop.bodyAsString());

    HttpResponse<Buffer> deadlineOnly = await(infer(apiClient, "Coedge-Timeout-Us", "500000"));
    assertEquals(403, deadlineOnly.statusCode(), deadlineOnly.bodyAsString());
  }

  @Test
  void aNodeCertificateFromTheClusterCaMakesTheNodeCallWork() throws Exception {
    HttpResponse<Buffer> r = await(infer(client(peerCert, HttpVersion.HTTP_1_1), "coedge-hop", "1"));
    assertAddOneAnswer(r);
    assertEquals("test-node", r.getHeader("coedge-served-by"));
  }

  @Test
  void theSameRawClientPresentingAClusterCertificateIsServed() throws Exception {
    try (SSLSocket s = TlsClients.socket(node.port(), caFile, peer)) {
      assertEquals("HTTP/1.1 200 OK", TlsClients.get(s, "/v2/health/live"));
    }
  }

  @Test
  void aClientPresentingACertificateFromAForeignCaFailsTheHandshake() throws Exception {
    assertRefusedAtHandshake(foreign);
  }

  @Test
  void aClientPresentingAnExpiredCertificateFromTheClusterCaFailsTheHandshake() throws Exception {
    assertRefusedAtHandshake(expiredPeer);
  }

  @Test
  void anHttpClientHoldingOnlyAForeignCertificateConnectsWithoutOneAndItsNodeCallGets403() throws Exception {
    // Vert.x's client (like the JDK's) sends a certificate only if the server's CA issued it: no node rights.
    HttpResponse<Buffer> r = await(infer(client(foreignCert, HttpVersion.HTTP_1_1), "coedge-hop", "1"));
    assertEquals(403, r.statusCode(), r.bodyAsString());
  }

  @Test
  void anHttpClientWithAnExpiredClusterCertificateFails() throws Exception {
    Throwable f = failure(infer(client(expiredPeerCert, HttpVersion.HTTP_2), "coedge-hop", "1"));
    assertTrue(isTlsFailure(f), "expected a TLS failure, got " + f);
  }

  /**
   * The server aborts the handshake: at once (TLS 1.2) or, since a TLS 1.3 client finishes before the server has
   * checked its certificate, with an alert right after. The client sends nothing (writing could race the alert
   * into a broken pipe) and reads: an alert or a close is the refusal; a connection still open after 30 s (a bound
   * for a hang, not a speed) means the certificate was accepted.
   */
  private static void assertRefusedAtHandshake(TestPki.Issued clientCert) throws Exception {
    try (SSLSocket s = TlsClients.socket(node.port(), caFile, clientCert)) {
      s.setSoTimeout(30_000);
      assertEquals(-1, s.getInputStream().read(), "the server sent data instead of refusing the certificate");
    } catch (SSLException | SocketException e) {
      // refused: a TLS alert, or the connection reset
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the server kept the connection open: it accepted the certificate", e);
    }
  }

  @Test
  void theOffloadClientPresentsTheNodeCertificateAndVerifiesTheServer() throws Exception {
    RemoteClient remote = remoteClient(peerCert);
    RemoteAnswer a = await(remote.infer("https://127.0.0.1:" + node.port(), "add-one", "2", addOneBody(),
        "application/json", null, 1_000_000));
    assertEquals("test-node", a.servedBy());
    remote.close();
  }

  @Test
  void theOffloadClientOfATlsNodeNeverCallsAPeerOverPlainHttp() throws Exception {
    RemoteClient remote = remoteClient(peerCert);
    Throwable f = failure(remote.infer("http://127.0.0.1:" + node.port(), "add-one", "2",
        addOneBody(), "application/json", null, 1_000_000));
    assertInstanceOf(RemoteFailure.class, f);
    assertTrue(f.getMessage().contains("https only"), f.getMessage());
    remote.close();
  }

  @Test
  void theOffloadClientRefusesAPeerWhoseCertificateDoesNotNameTheCalledHost() throws Exception {
    TestPki.PemPair elsewhere = cluster.named("elsewhere", List.of("elsewhere.example"), List.of())
        .write(dir, "elsewhere");
    HttpServer peerServer = await(clients.vertx().createHttpServer(new HttpServerOptions().setSsl(true)
            .setKeyCertOptions(new PemKeyCertOptions().setCertPath(elsewhere.cert().toString())
                .setKeyPath(elsewhere.key().toString())))
        .requestHandler(req -> req.response().end("{\"live\":true}")).listen(0, "127.0.0.1"));
    RemoteClient remote = remoteClient(peerCert);
    try {
      Throwable f = failure(remote.probe("https://127.0.0.1:" + peerServer.actualPort(), 5_000));
      assertInstanceOf(SSLHandshakeException.class, f);
      String why = TlsClients.causes(f);
      assertTrue(why.contains("subject alternative names matching IP address 127.0.0.1"), why);
    } finally {
      remote.close();
      await(peerServer.close());
    }
  }

  private static RemoteClient remoteClient(TestPki.PemPair cert) {
    TlsMaterial m = PemFiles.load(new TlsConfig(cert.cert().toString(), cert.key().toString(), caFile.toString(),
        0));
    return new RemoteClient(clients.vertx(), 4, m.clientOptions(), null);
  }

  private static Buffer addOneBody() {
    return new JsonObject().put("inputs", new JsonArray().add(new JsonObject().put("name", "x")
        .put("shape", new JsonArray().add(1).add(4)).put("datatype", "FP32")
        .put("data", new JsonArray().add(1).add(2).add(3).add(4)))).toBuffer();
  }

  /** A handshake failure, or (TLS 1.3: the client finishes first) the server's alert closing the connection. */
  static boolean isTlsFailure(Throwable f) {
    for (Throwable t = f; t != null; t = t.getCause()) {
      String m = String.valueOf(t.getMessage()).toLowerCase(java.util.Locale.ROOT);
      if (t instanceof SSLException || m.contains("certificate") || m.contains("closed")) {
        return true;
      }
    }
    return false;
  }
}
