package io.coedge.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coedge.Gateway;
import io.coedge.TestNodes;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code docker/make-certs.sh} makes files a node serves and a peer authenticates with (needs openssl). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CertScriptTest {

  @Test
  void certificatesFromTheScriptServeHttpsAndAuthenticateANode() throws Exception {
    Path dir = Files.createTempDirectory("coedge-make-certs");
    Gateway node = null;
    try (TlsClients clients = new TlsClients()) {
      Process p = new ProcessBuilder("bash", "docker/make-certs.sh", dir.toString(), "node-a=127.0.0.1,localhost",
          "node-b=127.0.0.1").redirectErrorStream(true).start();
      String log = new String(p.getInputStream().readAllBytes());
      assertTrue(p.waitFor(30, TimeUnit.SECONDS), "script finished");
      assertEquals(0, p.exitValue(), log);

      node = TestNodes.start(TestNodes.TEST_MODELS, Map.of(
          "security.tls.cert", dir.resolve("node-a.crt").toString(),
          "security.tls.key", dir.resolve("node-a.key").toString(),
          "security.tls.ca", dir.resolve("ca.crt").toString()));
      TestPki.PemPair peer = new TestPki.PemPair(dir.resolve("node-b.crt"), dir.resolve("node-b.key"));
      HttpResponse<Buffer> r = io.coedge.Eventually.await(TlsClients.infer(
          clients.client(node.port(), dir.resolve("ca.crt"), peer, HttpVersion.HTTP_2), "coedge-hop", "1"));
      assertEquals(200, r.statusCode(), r.bodyAsString());
      assertEquals(HttpVersion.HTTP_2, r.version());
    } finally {
      TestNodes.stop(node);
      TlsFiles.delete(dir);
    }
  }
}
