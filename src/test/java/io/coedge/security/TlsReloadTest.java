package io.coedge.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coedge.Eventually;
import io.coedge.Gateway;
import io.coedge.TestNodes;
import io.vertx.core.http.HttpVersion;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The server certificate over time: replaced on disk without a restart, and refused by clients once expired. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TlsReloadTest {

  private Path dir;
  private Gateway node;

  @BeforeEach
  void folder() throws Exception {
    dir = Files.createTempDirectory("coedge-tls-reload");
  }

  @AfterEach
  void stop() throws Exception {
    TestNodes.stop(node);
    TlsFiles.delete(dir);
  }

  private Gateway start(TestPki.PemPair files, String reloadSeconds) throws Exception {
    return TestNodes.start(TestNodes.TEST_MODELS, Map.of("security.tls.cert", files.cert().toString(),
        "security.tls.key", files.key().toString(), "security.tls.reload-interval-s", reloadSeconds));
  }

  @Test
  void replacedFilesAreServedToNewConnectionsWhileOpenOnesKeepWorking() throws Exception {
    TestPki.Ca ca = TestPki.ca("reload-ca");
    Path caFile = ca.write(dir, "ca");
    TestPki.Issued first = ca.node("first");
    node = start(first.write(dir, "node"), "1");
    int port = node.port();

    try (SSLSocket open = TlsClients.socket(port, caFile)) {
      assertEquals(first.serial(), TlsClients.serialOf(open));

      TestPki.Issued second = ca.node("second");
      second.write(dir, "node");
      Eventually.within(30_000, "a new connection sees the new certificate",
          () -> second.serial().equals(serialOnNewConnection(port, caFile)));

      assertEquals(port, node.port(), "same listener, not restarted");
      assertEquals("HTTP/1.1 200 OK", TlsClients.get(open, "/v2/health/live"), "the open connection still works");
      assertEquals(first.serial(), TlsClients.serialOf(open));
    }
  }

  @Test
  void brokenReplacementFilesAreSkippedAndTheNodeKeepsServingTheOldCertificate() throws Exception {
    TestPki.Ca ca = TestPki.ca("reload-ca");
    Path caFile = ca.write(dir, "ca");
    TestPki.Issued first = ca.node("first");
    TestPki.PemPair files = first.write(dir, "node");
    node = start(files, "1");
    try (LogCapture logs = new LogCapture()) {
      Files.writeString(files.key(), "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
      Eventually.within(30_000, "a check of the broken files is reported",
          () -> logs.any("TLS files changed but cannot be used", Level.WARNING));
    }
    assertEquals(first.serial(), serialOnNewConnection(node.port(), caFile), "the old certificate is still served");

    TestPki.Issued fixed = ca.node("fixed");
    fixed.write(dir, "node");
    Eventually.within(30_000, "the fixed files are picked up",
        () -> fixed.serial().equals(serialOnNewConnection(node.port(), caFile)));
  }

  @Test
  void anExpiredServerCertificateFailsTheClientHandshake() throws Exception {
    TestPki.Ca ca = TestPki.ca("expiry-ca");
    Path caFile = ca.write(dir, "ca");
    node = start(ca.expired("stale").write(dir, "stale"), "0");

    SSLHandshakeException e = assertThrows(SSLHandshakeException.class, () -> TlsClients.socket(node.port(), caFile));
    assertTrue(TlsClients.causes(e).contains("validity check failed"), TlsClients.causes(e));
    try (TlsClients clients = new TlsClients()) {
      Throwable f = Eventually.failure(TlsClients.infer(clients.client(node.port(), caFile, null,
          HttpVersion.HTTP_1_1)));
      assertTrue(HttpsTest.isTlsFailure(f), "expected a TLS failure, got " + f);
    }
  }

  private static BigInteger serialOnNewConnection(int port, Path ca) {
    try (SSLSocket s = TlsClients.socket(port, ca)) {
      return TlsClients.serialOf(s);
    } catch (Exception e) {
      return BigInteger.ZERO;
    }
  }
}
