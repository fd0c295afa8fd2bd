package io.coedge.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HashKeyTest {

  @Test
  void printsAnEntryTheKeyFileAcceptsAndThatMatchesTheKey() {
    String key = KeyHash.randomKey();
    String out = HashKey.run(new String[] {"--id", "hub", "--scopes", "infer,admin", "--models", "a,b"}, key, true);
    assertTrue(out.contains("# key (give it to the client; it is stored nowhere): " + key), out);
    ApiKeys keys = KeyFile.parse(("keys:\n" + out).getBytes(StandardCharsets.UTF_8), "printed");
    ApiKey k = keys.match(key);
    assertEquals("hub", k.id());
    assertEquals(Set.of(Scope.INFER, Scope.ADMIN), k.scopes());
    assertEquals(Set.of("a", "b"), k.models());
  }

  @Test
  void aKeyReadFromStdinIsNotPrintedBack() {
    String key = "operator-chosen-key-0123456789";
    String out = HashKey.run(new String[] {"--stdin"}, key, false);
    assertFalse(out.contains(key));
    assertTrue(KeyFile.parse(("keys:\n" + out).getBytes(StandardCharsets.UTF_8), "x").match(key) != null);
  }

  @Test
  void shortKeysUnknownScopesAndFlagsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> HashKey.run(new String[0], "short", false));
    String key = KeyHash.randomKey();
    assertThrows(IllegalArgumentException.class, () -> HashKey.run(new String[0], "has.dots.like.a.jwt.01234", false));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> HashKey.run(new String[] {"--scopes", "root"}, key, false)).getMessage().contains("root"));
    assertThrows(IllegalArgumentException.class, () -> HashKey.run(new String[] {"--bogus"}, key, true));
  }
}
