package io.coedge.security;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coedge.Gateway;
import io.coedge.config.CoedgeConfig;
import io.coedge.config.ConfigException;
import io.coedge.config.ConfigSource;
import io.coedge.config.HttpConfig;
import io.coedge.config.TlsConfig;
import io.vertx.core.Future;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A TLS setup that cannot work stops the start before anything opens, with a message naming the key. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TlsStartTest {

  private static final String GARBAGE = "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n"
      + "-----END CERTIFICATE-----\n";
  private static Path dir;
  private static TestPki.PemPair good;
  private static TestPki.PemPair other;

  @BeforeAll
  static void certificates() throws Exception {
    dir = Files.createTempDirectory("coedge-tls-start");
    TestPki.Ca ca = TestPki.ca("start-ca");
    good = ca.node("good").write(dir, "good");
    other = ca.node("other").write(dir, "other");
  }

  @AfterAll
  static void clean() throws Exception {
    TlsFiles.delete(dir);
  }

  private static CoedgeConfig config(Map<String, String> tls) {
    Map<String, String> m = new HashMap<>(Map.of("http.port", "0", "node.id", "tls-start", "cluster.enabled", "false",
        "inference.models-dir", "src/test/resources/test-models"));
    m.putAll(tls);
    return CoedgeConfig.from(ConfigSource.of(m));
  }

  /** Gateway.start fails at once (before the models load, Vert.x starts or a port opens) with a ConfigException. */
  private static String startFailure(Map<String, String> tls) {
    Future<Gateway> start = Gateway.start(config(tls));
    assertTrue(start.failed(), "the start must fail before anything starts");
    assertInstanceOf(ConfigException.class, start.cause());
    return start.cause().getMessage();
  }

  @Test
  void aCertificateWithoutKeyIsRefusedNamingTheMissingKey() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> config(Map.of("security.tls.cert", good.cert().toString())));
    assertTrue(e.getMessage().contains("'security.tls.key'"), e.getMessage());
    assertTrue(e.getMessage().contains("set both or neither"), e.getMessage());
  }

  @Test
  void aKeyWithoutCertificateIsRefusedNamingTheMissingCertificate() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> config(Map.of("security.tls.key", good.key().toString())));
    assertTrue(e.getMessage().contains("'security.tls.cert'"), e.getMessage());
  }

  @Test
  void aClusterCaWithoutANodeCertificateIsRefused() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> config(Map.of("security.tls.ca", good.cert().toString())));
    assertTrue(e.getMessage().contains("'security.tls.cert'"), e.getMessage());
  }

  @Test
  void aPlainHttpAdvertisedUrlIsRefusedWhileTlsIsOn() {
    ConfigException e = assertThrows(ConfigException.class, () -> config(Map.of("security.tls.cert",
        good.cert().toString(), "security.tls.key", good.key().toString(),
        "cluster.advertise-url", "http://127.0.0.1:8080")));
    assertTrue(e.getMessage().contains("'cluster.advertise-url'"), e.getMessage());
  }

  @Test
  void aGarbageCertificateStopsTheStartNamingTheKeyAndTheFile() throws Exception {
    Path bad = Files.writeString(dir.resolve("garbage.crt"), GARBAGE);
    String m = startFailure(Map.of("security.tls.cert", bad.toString(), "security.tls.key", good.key().toString()));
    assertTrue(m.contains("'security.tls.cert'") && m.contains(bad.toString()), m);
    assertTrue(m.contains("parsing failed"), m);
  }

  @Test
  void aFileWithoutPemBlocksStopsTheStart() throws Exception {
    Path bad = Files.writeString(dir.resolve("notes.txt"), "hello, I am not a certificate\n");
    String m = startFailure(Map.of("security.tls.cert", bad.toString(), "security.tls.key", good.key().toString()));
    assertTrue(m.contains("'security.tls.cert'") && m.contains("BEGIN CERTIFICATE"), m);
  }

  @Test
  void aGarbageKeyStopsTheStartNamingTheKeyWithoutPrintingIt() throws Exception {
    String secretLooking = "c2VjcmV0LWJ5dGVzLXRoYXQtbXVzdC1ub3QtYmUtbG9nZ2Vk";
    Path bad = Files.writeString(dir.resolve("garbage.key"),
        "-----BEGIN PRIVATE KEY-----\n" + secretLooking + "\n-----END PRIVATE KEY-----\n");
    String m = startFailure(Map.of("security.tls.cert", good.cert().toString(), "security.tls.key", bad.toString()));
    assertTrue(m.contains("'security.tls.key'") && m.contains(bad.toString()), m);
    assertFalse(m.contains(secretLooking), m);
  }

  @Test
  void aKeyOfAnotherCertificateStopsTheStart() {
    String m = startFailure(Map.of("security.tls.cert", good.cert().toString(),
        "security.tls.key", other.key().toString()));
    assertTrue(m.contains("'security.tls.key'") && m.contains("does not match"), m);
  }

  @Test
  void aMissingFileStopsTheStartNamingTheKey() {
    String m = startFailure(Map.of("security.tls.cert", good.cert().toString(),
        "security.tls.key", good.key().toString(), "security.tls.ca", dir.resolve("nope.crt").toString()));
    assertTrue(m.contains("'security.tls.ca'") && m.contains("no such file"), m);
  }

  @Test
  void plainHttpBeyondLoopbackIsWarnedAboutAndOnLoopbackIsNot() {
    TlsConfig off = new TlsConfig("", "", "", 0);
    assertTrue(warnings(() -> TlsSetup.prepare(http("0.0.0.0"), off))
        .stream().anyMatch(w -> w.contains("plain text")));
    assertTrue(warnings(() -> TlsSetup.prepare(http("127.0.0.1"), off)).isEmpty());
  }

  private static HttpConfig http(String host) {
    return CoedgeConfig.fromArgs(new String[0], Map.of("COEDGE_HTTP_HOST", host)).http();
  }

  private static List<String> warnings(Runnable r) {
    Logger log = Logger.getLogger(TlsSetup.class.getName());
    List<String> out = new ArrayList<>();
    Handler h = new Handler() {
      @Override
      public void publish(LogRecord record) {
        if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
          out.add(record.getMessage());
        }
      }

      @Override
      public void flush() {
      }

      @Override
      public void close() {
      }
    };
    log.addHandler(h);
    try {
      r.run();
    } finally {
      log.removeHandler(h);
    }
    return out;
  }
}
