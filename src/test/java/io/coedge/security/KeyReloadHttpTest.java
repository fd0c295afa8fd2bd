package io.coedge.security;

import static io.coedge.Eventually.within;
import static io.coedge.security.AuthFixture.entry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coedge.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The key file is reloaded while the node runs: new keys work, removed ones stop working, a broken file is ignored. */
@Timeout(60)
class KeyReloadHttpTest {

  @TempDir
  Path dir;

  @Test
  void aChangedKeyFileTakesEffectAndABrokenOneKeepsTheOldKeys() throws Exception {
    String old = KeyHash.randomKey();
    String revoked = KeyHash.randomKey();
    String added = KeyHash.randomKey();
    Path keys = AuthFixture.writeKeys(dir.resolve("keys.yaml"), entry("old", old, "infer", null),
        entry("revoked", revoked, "infer", null));
    try (LogCapture logs = new LogCapture();
        AuthFixture gw = new AuthFixture(Map.of("security.auth.mode", "keys", "security.auth.key-file",
            keys.toString(), "security.auth.key-reload-s", "1"))) {
      assertEquals(200, gw.infer("add-one", "X-API-Key", revoked).statusCode());
      assertEquals(401, gw.infer("add-one", "X-API-Key", added).statusCode());

      AuthFixture.writeKeys(keys, entry("old", old, "infer", null), entry("added", added, "infer", null));
      within(15_000, "the added key works", () -> gw.infer("add-one", "X-API-Key", added).statusCode() == 200);
      assertEquals(401, gw.infer("add-one", "X-API-Key", revoked).statusCode(), "the removed key is revoked");
      assertEquals(200, gw.infer("add-one", "X-API-Key", old).statusCode());

      Files.writeString(keys, "keys:\n  - id: broken\n    hash: nonsense\n    scopes: [infer]\n");
      within(15_000, "the broken file is reported", () -> logs.any("not reloaded, keeping the 2 keys", Level.WARNING));
      assertTrue(logs.lines().stream().anyMatch(l -> l.contains("entry 1 (id 'broken')")), "the log says why");
      assertEquals(200, gw.infer("add-one", "X-API-Key", added).statusCode(), "old keys stay in force");
      assertEquals(200, gw.infer("add-one", "X-API-Key", old).statusCode());
    }
  }

  @Test
  void aBrokenKeyFileAtStartStopsTheNodeNamingTheKey() throws Exception {
    Path keys = Files.writeString(dir.resolve("keys.yaml"), "keys:\n  - id: a\n    hash: sha256:x:y\n");
    AssertionError e = assertThrows(AssertionError.class,
        () -> new AuthFixture(Map.of("security.auth.mode", "keys", "security.auth.key-file", keys.toString())));
    String message = assertInstanceOf(ConfigException.class, e.getCause(), "the start fails").getMessage();
    assertTrue(message.contains("security.auth.key-file") && message.contains("entry 1 (id 'a')"), message);
  }
}
