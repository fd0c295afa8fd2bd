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
 * without a certificate. The certificate is made at test time with the JDK's keytool (nothing committed).
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

  @Test
  void aVerifiedClientCertificateIsAClusterNodeAndNoCertificateNeedsCredentials() throws Exception {
    keytool("-genkeypair", "-alias", "node", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=node-1",
        "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-keystore", "node.p12", "-storetype", "PKCS12",
        "-storepass", "changeit");
    keytool("-exportcert", "-rfc", "-alias", "node", "-keystore", "node.p12", "-storepass", "changeit",
        "-file", "ca.pem");
    PfxOptions identity = new PfxOptions().setPath(dir.resolve("node.p12").toString()).setPassword("changeit");
    PemTrustOptions ca = new PemTrustOptions().addCertPath(dir.resolve("ca.pem").toString());
    Vertx vertx = Vertx.vertx();
    try {
      AuthHandler gate = new AuthHandler(new AccessRules(true, false),
          new Authenticator(AuthConfig.Mode.KEYS, () -> ApiKeys.NONE, null), new RateLimiter(new Limit(0, 1), 16,
          System::nanoTime), io.coedge.observability.Metrics.NOOP, io.coedge.routing.Hop.HEADER);
      Router router = Router.router(vertx);
      router.route().handler(gate).failureHandler(Failures::handle);
      router.post("/v2/models/:model/infer").handler(ctx -> ctx.end(((Principal) ctx.get(AuthHandler.PRINCIPAL)).id()));
      HttpServer server = Eventually.await(vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1")
          .setPort(0).setSsl(true).setKeyCertOptions(identity).setTrustOptions(ca).setClientAuth(ClientAuth.REQUEST))
          .requestHandler(router).listen());

      WebClientOptions tls = new WebClientOptions().setSsl(true).setTrustOptions(ca).setDefaultHost("127.0.0.1")
          .setDefaultPort(server.actualPort());
      WebClient node = WebClient.create(vertx, new WebClientOptions(tls).setKeyCertOptions(identity));
      HttpResponse<Buffer> asNode = Eventually.await(node.post("/v2/models/add-one/infer")
          .putHeader(io.coedge.routing.Hop.HEADER, "1").send());
      assertEquals(200, asNode.statusCode(), asNode.bodyAsString());
      assertTrue(asNode.bodyAsString().startsWith("node ") && asNode.bodyAsString().contains("CN=node-1"),
          asNode.bodyAsString());

      WebClient anonymous = WebClient.create(vertx, tls);
      HttpResponse<Buffer> noCert = Eventually.await(anonymous.post("/v2/models/add-one/infer")
          .putHeader(io.coedge.routing.Hop.HEADER, "1").send());
      assertEquals(401, noCert.statusCode(), noCert.bodyAsString());
      assertEquals("Bearer realm=\"coedge\"", noCert.getHeader("www-authenticate"));
    } finally {
      Eventually.await(vertx.close());
    }
  }
}
