package io.coedge.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KeyFileTest {

  static final String KEY = KeyHash.randomKey();
  static final String HASH = KeyHash.of(KEY).text();

  static ApiKeys parse(String yaml) {
    return KeyFile.parse(yaml.getBytes(StandardCharsets.UTF_8), "keys.yaml");
  }

  static String error(String yaml) {
    return assertThrows(IllegalArgumentException.class, () -> parse(yaml)).getMessage();
  }

  @Test
  void readsIdsHashesScopesModelsAndLimits() {
    ApiKeys keys = parse("keys:\n"
        + "  - id: hub\n    hash: " + HASH + "\n    scopes: [infer, admin]\n    models: [add-one]\n"
        + "    rate: 2.5\n    burst: 4\n"
        + "  - id: ops\n    hash: " + KeyHash.of(KeyHash.randomKey()).text() + "\n    scopes: [admin]\n");
    assertEquals(List.of("hub", "ops"), keys.ids());
    ApiKey hub = keys.match(KEY);
    assertEquals(Set.of(Scope.INFER, Scope.ADMIN), hub.scopes());
    assertEquals(Set.of("add-one"), hub.models());
    assertEquals(new Limit(2.5, 4), hub.limit());
    Principal p = hub.principal();
    assertTrue(p.mayUse("add-one"));
    assertFalse(p.mayUse("fixed-shape"));
    assertTrue(p.limited());
  }

  @Test
  void aNodeKeyIsNotRateLimitedUnlessItsEntrySaysSo() {
    String node = "keys:\n  - id: edge-1\n    hash: " + HASH + "\n    scopes: [cluster]\n";
    assertFalse(parse(node).match(KEY).principal().limited());
    assertTrue(parse(node + "    rate: 100\n    burst: 100\n").match(KEY).principal().limited());
  }

  @Test
  void omittedModelsMeanEveryModelAndAnEmptyListMeansNone() {
    ApiKey all = parse("keys:\n  - id: a\n    hash: " + HASH + "\n    scopes: [infer]\n").match(KEY);
    assertTrue(all.principal().mayUse("anything"));
    assertNull(all.limit());
    ApiKey none = parse("keys:\n  - id: a\n    hash: " + HASH + "\n    scopes: [infer]\n    models: []\n")
        .match(KEY);
    assertFalse(none.principal().mayUse("add-one"));
  }

  @Test
  void mistakesAreRefusedNamingTheEntryAndTheProblem() {
    String entry = "keys:\n  - id: a\n    hash: " + HASH + "\n    scopes: [infer]\n";
    assertTrue(error(entry + "  - id: a\n    hash: " + HASH + "\n    scopes: [infer]\n").contains("appears twice"));
    assertTrue(error(entry.replace("scopes", "scope")).contains("unknown field 'scope'"));
    assertTrue(error(entry.replace("[infer]", "[inference]")).contains("unknown scope 'inference'"));
    assertTrue(error(entry.replace("[infer]", "[]")).contains("at least one"));
    assertTrue(error(entry.replace(HASH, "not-a-hash")).contains("entry 1 (id 'a')"));
    assertTrue(error(entry.replace("id: a", "id: 'a b'")).contains("id must be"));
    assertTrue(error(entry + "    rate: 3\n").contains("rate"));
    assertTrue(error(entry + "    rate: 3\n    burst: 0\n").contains("burst"));
    assertTrue(error("keys: {}\n").contains("`keys`, a list"));
    assertTrue(error("users: []\n").contains("`keys`"));
    assertTrue(error("keys: [\n").contains("not valid YAML"));
    assertTrue(error("").contains("`keys`"));
  }
}
