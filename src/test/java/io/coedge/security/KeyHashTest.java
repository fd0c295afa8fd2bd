package io.coedge.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KeyHashTest {

  @Test
  void aHashMatchesItsKeyAndNothingElse() {
    String key = KeyHash.randomKey();
    KeyHash h = KeyHash.of(key);
    assertTrue(h.matches(key));
    assertFalse(h.matches(key + "x"));
    assertFalse(h.matches(key.substring(0, key.length() - 1)));
    assertFalse(h.matches(""));
  }

  @Test
  void theSameKeyHashesDifferentlyEachTimeBecauseOfTheSalt() {
    String key = KeyHash.randomKey();
    KeyHash a = KeyHash.of(key);
    KeyHash b = KeyHash.of(key);
    assertNotEquals(a.text(), b.text());
    assertTrue(a.matches(key) && b.matches(key));
  }

  @Test
  void theStoredFormParsesBackAndNeverContainsTheKey() {
    String key = KeyHash.randomKey();
    KeyHash h = KeyHash.of(key);
    assertTrue(h.text().startsWith("sha256:"));
    assertFalse(h.text().contains(key.substring(3)));
    assertTrue(KeyHash.parse(h.text()).matches(key));
    assertEquals(h, KeyHash.parse(h.text()));
  }

  @Test
  void randomKeysAreLongDistinctAndHaveNoDots() {
    String a = KeyHash.randomKey();
    assertTrue(a.length() >= 40 && !a.contains("."), a);
    assertNotEquals(a, KeyHash.randomKey());
  }

  @Test
  void malformedStoredHashesAreRefusedWithWhatIsWrong() {
    for (String bad : List.of("", "plain", "md5:abc:def", "sha256:!!:!!", "sha256:c2FsdHNhbHQ:c2hvcnQ",
        "sha256:a:b:c")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KeyHash.parse(bad), bad);
      assertTrue(e.getMessage().contains("sha256") || e.getMessage().contains("digest"), e.getMessage());
    }
  }

  @Test
  void apiKeysFindTheOneKeyPresented() {
    String k1 = KeyHash.randomKey();
    String k2 = KeyHash.randomKey();
    ApiKeys keys = new ApiKeys(List.of(
        new ApiKey("one", KeyHash.of(k1), Set.of(Scope.INFER), Set.of("*"), null),
        new ApiKey("two", KeyHash.of(k2), Set.of(Scope.ADMIN), Set.of("*"), null)));
    assertEquals("one", keys.match(k1).id());
    assertEquals("two", keys.match(k2).id());
    assertEquals(null, keys.match(KeyHash.randomKey()));
  }
}
