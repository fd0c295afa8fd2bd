package io.coedge.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

class AccessRulesTest {

  final AccessRules rules = new AccessRules(true, false);

  static Principal caller(Set<Scope> scopes, Set<String> models) {
    return new Principal("key test", scopes, models, "key:test", null, true);
  }

  @Test
  void endpointsNeedTheirScopes() {
    assertTrue(rules.of("/v2/health/live", false).open());
    assertTrue(rules.of("/v2/health/ready", false).open());
    assertEquals(Set.of(Scope.INFER, Scope.ADMIN, Scope.CLUSTER), rules.of("/metrics", false).anyOf());
    assertEquals(Set.of(Scope.INFER), rules.of("/v2", false).anyOf());
    assertEquals(Requirement.anyOf(Scope.INFER).onModel("add-one"), rules.of("/v2/models/add-one/infer", false));
    assertEquals(Requirement.anyOf(Scope.INFER).onModel("add-one"),
        rules.of("/v2/models/add-one/versions/2/ready", false));
    assertEquals(Requirement.anyOf(Scope.CLUSTER).onModel("add-one"), rules.of("/v2/models/add-one/infer", true));
    assertEquals(Requirement.anyOf(Scope.ADMIN).onModel("m"), rules.of("/v2/repository/models/m/load", false));
    assertEquals(Requirement.anyOf(Scope.ADMIN), rules.of("/v2/models/stats", false), "every model's statistics");
    assertEquals(Requirement.anyOf(Scope.INFER).onModel("add-one"), rules.of("/v2/models/add-one/stats", false));
    assertEquals(Requirement.anyOf(Scope.ADMIN), rules.of("/v2/repository/index", false));
    assertEquals(Set.of(Scope.ADMIN, Scope.CLUSTER), rules.of("/v2/cluster/nodes", false).anyOf());
    assertEquals(Requirement.anyOf(Scope.ADMIN), rules.of("/console", false), "unknown endpoints are closed");
    assertEquals(Requirement.anyOf(Scope.ADMIN), rules.of("/", false));
    assertEquals(Requirement.anyOf(Scope.ADMIN), rules.of("/v2/trace/setting", false));
    assertEquals(Requirement.anyOf(Scope.ADMIN), rules.of("/v2/logging", false));
    assertEquals(Requirement.anyOf(Scope.ADMIN).onModel("add-one"), rules.of("/v2/models/add-one/trace/setting",
        false), "a model's trace settings are an admin's, not an inference client's");
  }

  @Test
  void openHealthAndMetricsFollowTheConfig() {
    AccessRules flipped = new AccessRules(false, true);
    assertTrue(flipped.of("/metrics", false).open());
    assertTrue(flipped.of("/dashboard", false).open(), "the dashboard is gated like /metrics");
    assertTrue(flipped.of("/dashboard/routing", false).open());
    assertEquals(Set.of(Scope.INFER, Scope.ADMIN, Scope.CLUSTER), rules.of("/dashboard/dashboard.js", false).anyOf());
    assertEquals(Set.of(Scope.INFER, Scope.ADMIN, Scope.CLUSTER), flipped.of("/v2/health/live", false).anyOf());
  }

  @Test
  void modelNamesArePercentDecodedLikeTheRouterDoes() {
    assertEquals("add-one", rules.of("/v2/models/add%2Done/infer", false).model());
    assertEquals("a+b", rules.of("/v2/models/a+b", false).model());
    assertEquals("a/b", rules.of("/v2/models/a%2Fb/infer", false).model());
    assertThrows(IllegalArgumentException.class, () -> rules.of("/v2/models/a%zz/infer", false));
    assertThrows(IllegalArgumentException.class, () -> rules.of("/v2/models/a%2/infer", false));
  }

  @Test
  void aCallerNeedsOneOfTheScopesAndTheModelOnItsList() {
    Principal inferA = caller(Set.of(Scope.INFER), Set.of("a"));
    assertNull(rules.of("/v2/models/a/infer", false).refusal(inferA));
    assertTrue(rules.of("/v2/models/b/infer", false).refusal(inferA).contains("may not use model 'b'"));
    assertTrue(rules.of("/v2/models/a/infer", true).refusal(inferA).contains("cluster"));
    assertTrue(rules.of("/v2/cluster/nodes", false).refusal(inferA).contains("admin or cluster"));
    assertNull(rules.of("/metrics", false).refusal(inferA));
    Principal admin = caller(Set.of(Scope.ADMIN), Set.of("*"));
    assertTrue(rules.of("/v2/models/a/infer", false).refusal(admin).contains("infer"), "admin does not imply infer");
    assertNull(rules.of("/v2/cluster/versions", false).refusal(admin));
    Principal node = Principal.clusterNode("CN=edge-1");
    assertNull(rules.of("/v2/models/b/infer", true).refusal(node));
    assertNull(rules.of("/v2/models/b/infer", false).refusal(node));
    assertTrue(rules.of("/v2/repository/index", false).refusal(node) != null);
  }

  @Test
  void withAuthenticationOffTheAnonymousCallerMayDoEverything() {
    Principal anyone = Principal.anonymous("127.0.0.1");
    for (String path : new String[] {"/v2/models/a/infer", "/v2/repository/index", "/v2/cluster/nodes", "/x"}) {
      assertNull(rules.of(path, true).refusal(anyone), path);
    }
    assertEquals("addr:127.0.0.1", anyone.bucketKey());
  }

  @Test
  void segmentsSplitExactlyLikeTheRegexTheyReplace() {
    for (String path : new String[] {"/", "", "/v2", "/v2/", "//v2", "/v2//models/a", "/v2/models/a/", "v2/x", "///",
        "/a//", "/a/b/c", "//", "/a///b//", "/v2/models/%2F/infer"}) {
      String p = path.startsWith("/") ? path.substring(1) : path;
      String[] regex = p.isEmpty() ? new String[0] : p.split("/+");
      assertEquals(java.util.Arrays.asList(regex), java.util.Arrays.asList(AccessRules.segments(path)), path);
    }
  }
}
