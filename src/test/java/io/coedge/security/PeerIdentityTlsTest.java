package io.coedge.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coedge.Eventually;
import io.coedge.api.Failures;
import io.coedge.config.AuthConfig;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.PfxOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract with the TLS listener over a real handshake: a connection whose client certificate the server
 * verified is a cluster node (an offloaded request passes without a key); the same server answers 401 to a client
 * without a certificate; with authentication off a plain caller passes untouched and a node still lacks the admin
 * scope. The certificate is made at test time with the JDK's keytool (nothing committed).
 */
@Timeout(60)
class PeerIdentityTlsTest {

  @TempDir
  Path dir;

  void keytool(String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool")
        .toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "keytool failed: " + out);
  }

  /** A TLS listener asking for client certificates, behind the gate in {@code mode}; a node and a plain client. */
  private record Tls(Vertx vertx, WebClient node, WebClient plain) {
  }

  private Tls start(AuthConfig.Mode mode) throws Exception {
    keytool("-genkeypair", "-alias", "node", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=node-1",
        "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-keystore", "node.p12", "-storetype", "PKCS12",
        "-storepass", "changeit");
    keytool("-exportcert", "-rfc", "-alias", "node", "-keystore", "node.p12", "-storepass", "changeit",
        "-file", "ca.pem");
    PfxOptions identity = new PfxOptions().setPath(dir.resolve("node.p12").toString()).setPassword("changeit");
    PemTrustOptions ca = new PemTrustOptions().addCertPath(dir.resolve("ca.pem").toString());
    Vertx vertx = Vertx.vertx();
    AuthHandler gate = new AuthHandler(new AccessRules(true, false),
        new Authenticator(mode, () -> ApiKeys.NONE, null), new RateLimiter(new Limit(0, 1), 16,
        System::nanoTime), io.coedge.observability.Metrics.NOOP, io.coedge.routing.Hop.HEADER);
    Router router = Router.router(vertx);
    router.route().handler(gate).failureHandler(Failures::handle);
    router.post("/v2/models/:model/infer").handler(ctx -> {
      Principal p = ctx.get(AuthHandler.PRINCIPAL);
      ctx.end(p == null ? "let through" : p.id());
    });
    router.get("/v2/models/stats").handler(ctx -> ctx.end("stats"));
    HttpServer server = Eventually.await(vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1")
        .setPort(0).setSsl(true).setKeyCertOptions(identity).setTrustOptions(ca).setClientAuth(ClientAuth.REQUEST))
        .requestHandler(router).listen());
    WebClientOptions tls = new WebClientOptions().setSsl(true).setTrustOptions(ca).setDefaultHost("127.0.0.1")
        .setDefaultPort(server.actualPort());
    return new Tls(vertx, WebClient.create(vertx, new WebClientOptions(tls).setKeyCertOptions(identity)),
        WebClient.create(vertx, tls));
  }

  @Test
  void aVerifiedClientCertificateIsAClusterNodeAndNoCertificateNeedsCredentials() throws Exception {
    Tls t = start(AuthConfig.Mode.KEYS);
    try {
      HttpResponse<Buffer> asNode = Eventually.await(t.node().post("/v2/models/add-one/infer")
          .putHeader(io.coedge.routing.Hop.HEADER, "1").send());
      assertEquals(200, asNode.statusCode(), asNode.bodyAsString());
      assertTrue(asNode.bodyAsString().startsWith("node ") && asNode.bodyAsString().contains("CN=node-1"),
          asNode.bodyAsString());

      HttpResponse<Buffer> noCert = Eventually.await(t.plain().post("/v2/models/add-one/infer")
          .putHeader(io.coedge.routing.Hop.HEADER, "1").send());
      assertEquals(401, noCert.statusCode(), noCert.bodyAsString());
      assertEquals("Bearer realm=\"coedge\"", noCert.getHeader("www-authenticate"));
    } finally {
      Eventually.await(t.vertx().close());
    }
  }

  /** Auth off lets a plain caller through untouched, but a node is still a node: it may not administer. */
  @Test
  void withAuthOffAClusterNodeKeepsItsScopesAndAPlainCallerPasses() throws Exception {
    Tls t = start(AuthConfig.Mode.NONE);
    try {
      HttpResponse<Buffer> asNode = Eventually.await(t.node().post("/v2/models/add-one/infer").send());
      assertTrue(asNode.bodyAsString().startsWith("node "), asNode.bodyAsString());
      HttpResponse<Buffer> nodeStats = Eventually.await(t.node().get("/v2/models/stats").send());
      assertEquals(403, nodeStats.statusCode(), nodeStats.bodyAsString());
      assertTrue(nodeStats.bodyAsString().contains("lacks the scope"), nodeStats.bodyAsString());

      HttpResponse<Buffer> plain = Eventually.await(t.plain().post("/v2/models/add-one/infer").send());
      assertEquals("let through", plain.bodyAsString());
      assertEquals("stats", Eventually.await(t.plain().get("/v2/models/stats").send()).bodyAsString());
    } finally {
      Eventually.await(t.vertx().close());
    }
  }
}
