package io.coedge.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The load tools' new options: repeatable headers, the {@code --h2} flag, HTTPS checked against the URL. */
class LoadArgsTest {

  private static final String URL = "--url";

  @TempDir
  Path dir;

  private static BenchArgs args(String... a) {
    Set<String> allowed = new HashSet<>(LoadGen.LOAD_OPTIONS);
    return new BenchArgs(a, allowed, Transport.FLAGS);
  }

  @Test
  void headersRepeatAndKeepEverythingAfterTheFirstColon() {
    BenchArgs a = args("--header", "X-API-Key: ck_abc:def", "--header", "x-trace:1");
    assertEquals(List.of(Map.entry("X-API-Key", "ck_abc:def"), Map.entry("x-trace", "1")), LoadGen.headers(a));
  }

  @Test
  void aBadHeaderIsNamedWithoutItsValue() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> LoadGen.headers(args("--header", "bad name:secret-value")));
    assertTrue(e.getMessage().contains("'bad name'"), e.getMessage());
    assertFalse(e.getMessage().contains("secret-value"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> LoadGen.headers(args("--header", "no-colon")));
  }

  @Test
  void h2IsAFlagAndHttpsTakesTheCaFile() throws Exception {
    Path ca = Files.writeString(dir.resolve("ca.crt"), "x");
    BenchArgs a = args(URL, "https://127.0.0.1:1/v2", "--https", ca.toString(), "--h2", "--h2-connections", "3");
    Transport t = Transport.of(a, URI.create(a.string("url", null)));
    assertTrue(t.h2());
    assertEquals(3, t.h2Connections());
    assertEquals(ca, t.ca());
    assertEquals("https/2", t.describe());
  }

  @Test
  void theUrlSchemeMustMatchHttps() throws Exception {
    Path ca = Files.writeString(dir.resolve("ca.crt"), "x");
    BenchArgs plainUrl = args(URL, "http://127.0.0.1:1/v2", "--https", ca.toString());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Transport.of(plainUrl, URI.create("http://127.0.0.1:1/v2")));
    assertTrue(e.getMessage().contains("https://"), e.getMessage());
    BenchArgs noCa = args(URL, "https://127.0.0.1:1/v2");
    e = assertThrows(IllegalArgumentException.class, () -> Transport.of(noCa, URI.create("https://127.0.0.1:1/v2")));
    assertTrue(e.getMessage().contains("--https CA_FILE"), e.getMessage());
  }

  @Test
  void clientCertificateAndH2NeedHttpsAndTheKeyGoesWithTheCertificate() {
    Path f = dir.resolve("f");
    assertThrows(IllegalArgumentException.class, () -> new Transport(null, null, null, true, 2));
    assertThrows(IllegalArgumentException.class, () -> new Transport(null, f, f, false, 0));
    assertThrows(IllegalArgumentException.class, () -> new Transport(f, f, null, false, 0));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Transport.of(args("--https", f.toString()), URI.create("https://h/")));
    assertTrue(e.getMessage().contains("not a readable file"), e.getMessage());
  }
}
