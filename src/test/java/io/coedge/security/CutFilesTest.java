package io.coedge.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coedge.config.ConfigException;
import io.coedge.config.TlsConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a writer that runs out of space (or is read half way) leaves behind: a key file or a PEM file cut short, or
 * empty. A reload must not put such a file in force; the keys and certificate in force stay until a whole file
 * arrives.
 */
class CutFilesTest {

  @TempDir
  Path dir;

  private static String keyFile(String... ids) {
    StringBuilder b = new StringBuilder("keys:\n");
    for (String id : ids) {
      b.append("  - id: ").append(id).append("\n    hash: ").append(KeyHash.of(KeyHash.randomKey()).text())
          .append("\n    scopes: [infer, admin]\n    models: [add-one, sensor-anomaly]\n    rate: 250\n    burst: 40\n");
    }
    return b.toString();
  }

  @Test
  void everyCutOfAKeyFileInsideALineIsRefusedOnReload() {
    byte[] whole = keyFile("hub", "ops", "camera").getBytes(StandardCharsets.UTF_8);
    assertEquals(List.of("hub", "ops", "camera"), KeyFile.parseComplete(whole, "keys.yaml").ids());
    List<Integer> acceptedAtStart = new ArrayList<>();
    for (int n = 0; n < whole.length; n++) {
      byte[] cut = Arrays.copyOf(whole, n);
      if (n > 0 && cut[n - 1] == '\n') {
        continue; // a cut at a line break cannot be told from a shorter file (README: rename a whole copy in)
      }
      assertThrows(IllegalArgumentException.class, () -> KeyFile.parseComplete(cut, "keys.yaml"), "cut at " + n);
      try {
        KeyFile.parse(cut, "keys.yaml");
        acceptedAtStart.add(n);
      } catch (IllegalArgumentException expected) {
        // most cuts do not parse at all
      }
    }
    // the cuts the plain parser takes for a whole file, e.g. "burst: 4" for "burst: 40" or "rate: 25" for 250
    assertFalse(acceptedAtStart.isEmpty(), "some mid-line cuts parse: the reload must catch them");
  }

  @Test
  void aCutThatStillParsesIsNamedAsCutShort() {
    String key = KeyHash.randomKey();
    String whole = "keys:\n  - id: hub\n    hash: " + KeyHash.of(key).text() + "\n    scopes: [infer]\n"
        + "    rate: 250\n    burst: 40\n";
    byte[] cut = whole.substring(0, whole.length() - 2).getBytes(StandardCharsets.UTF_8); // "burst: 4"
    assertEquals(new Limit(250, 4), KeyFile.parse(cut, "keys.yaml").match(key).limit(), "it parses, burst 4");
    String why = assertThrows(IllegalArgumentException.class, () -> KeyFile.parseComplete(cut, "keys.yaml"))
        .getMessage();
    assertTrue(why.contains("does not end with a line break: it looks cut short"), why);
  }

  @Test
  void anEmptyFileOrOneListingNoKeysIsRefusedOnReload() {
    assertThrows(IllegalArgumentException.class, () -> KeyFile.parseComplete(new byte[0], "keys.yaml"));
    String why = assertThrows(IllegalArgumentException.class,
        () -> KeyFile.parseComplete("keys: []\n".getBytes(StandardCharsets.UTF_8), "keys.yaml")).getMessage();
    assertTrue(why.contains("lists no keys"), why);
  }

  @Test
  void aCutKeyFileKeepsTheKeysInForceAndIsReportedUntilTheFileCanBeUsedAgain() throws Exception {
    Path file = dir.resolve("keys.yaml");
    String first = keyFile("hub", "ops");
    Files.writeString(file, first);
    KeyFileWatcher watcher = new KeyFileWatcher(file);
    String next = keyFile("hub", "ops", "camera");

    Files.writeString(file, next.substring(0, next.length() * 2 / 3 + 1));
    watcher.check();
    assertEquals(List.of("hub", "ops"), watcher.get().ids(), "the keys in force stay");
    assertTrue(watcher.rejected());

    Files.write(file, new byte[0]); // emptied by a writer that got no space at all
    watcher.check();
    assertEquals(List.of("hub", "ops"), watcher.get().ids());
    assertTrue(watcher.rejected());

    Files.writeString(file, first); // put back as it was: nothing to reload, nothing refused
    watcher.check();
    assertFalse(watcher.rejected());

    Files.writeString(file, next);
    watcher.check();
    assertEquals(List.of("hub", "ops", "camera"), watcher.get().ids());
    assertFalse(watcher.rejected());
  }

  @Test
  void aCertificateChainCutAtTheStartOfItsSecondBlockIsRefused() throws Exception {
    TestPki.Ca ca = TestPki.ca("cut-ca");
    TestPki.PemPair pair = ca.node("node").write(dir, "node");
    String chain = Files.readString(pair.cert()) + Files.readString(ca.write(dir, "ca"));
    TlsConfig config = new TlsConfig(pair.cert().toString(), pair.key().toString(), "", 0);
    Files.writeString(pair.cert(), chain);
    assertEquals(chain.length(), new String(PemFiles.load(config).cert(), StandardCharsets.US_ASCII).length());

    int second = chain.indexOf("-----BEGIN CERTIFICATE-----", 1);
    Files.writeString(pair.cert(), chain.substring(0, second + 4)); // Java reads this as the first certificate alone
    String why = assertThrows(ConfigException.class, () -> PemFiles.load(config)).getMessage();
    assertTrue(why.contains("security.tls.cert") && why.contains("cut short"), why);

    Files.writeString(pair.cert(), "");
    assertThrows(ConfigException.class, () -> PemFiles.load(config), "an emptied file");
  }
}
