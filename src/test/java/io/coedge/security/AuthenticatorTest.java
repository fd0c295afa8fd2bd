package io.coedge.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coedge.config.AuthConfig.Mode;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.security.cert.Certificate;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which credentials make which caller, and which are refused how; API keys only (JWT runs over HTTP). */
class AuthenticatorTest {

  static final String KEY = KeyHash.randomKey();
  static final ApiKeys KEYS = new ApiKeys(List.of(
      new ApiKey("hub", KeyHash.of(KEY), Set.of(Scope.INFER), Set.of("add-one"), new Limit(3, 6))));

  final Authenticator keys = new Authenticator(Mode.KEYS, () -> KEYS, null);

  static Principal ok(Future<Principal> f) {
    assertTrue(f.succeeded(), () -> "refused: " + f.cause());
    return f.result();
  }

  static Refusal refused(Future<Principal> f) {
    assertTrue(f.failed(), "expected a refusal");
    return ((Refusal.Refused) f.cause()).refusal();
  }

  @Test
  void aKeyIsAcceptedInEitherHeader() {
    Principal p = ok(keys.authenticate(null, KEY, null, "10.0.0.9"));
    assertEquals("key hub", p.id());
    assertEquals("key:hub", p.bucketKey());
    assertEquals(new Limit(3, 6), p.limit());
    assertEquals("key hub", ok(keys.authenticate("Bearer " + KEY, null, null, "x")).id());
    assertEquals("key hub", ok(keys.authenticate("bearer   " + KEY + " ", null, null, "x")).id());
  }

  @Test
  void missingWrongOrAmbiguousCredentialsAre401WithAChallenge() {
    Refusal missing = refused(keys.authenticate(null, null, null, "x"));
    assertEquals(401, missing.status());
    assertEquals("Bearer realm=\"coedge\"", missing.challenge());
    assertTrue(missing.message().contains("X-API-Key"));
    Refusal wrong = refused(keys.authenticate(null, KeyHash.randomKey(), null, "x"));
    assertEquals(401, wrong.status());
    assertTrue(wrong.challenge().contains("invalid_token"));
    assertEquals("unknown API key", wrong.message());
    assertEquals(401, refused(keys.authenticate("Basic dXNlcjpwYXNz", null, null, "x")).status());
    assertEquals(401, refused(keys.authenticate("Bearer ", null, null, "x")).status());
    assertEquals(401, refused(keys.authenticate(null, "", null, "x")).status());
    assertTrue(refused(keys.authenticate("Bearer " + KEY, KEY, null, "x")).message().contains("not both"));
  }

  @Test
  void aVerifiedClusterCertificateIsANodeWithoutAnyKey() {
    Principal node = ok(keys.authenticate(null, null, "CN=cloud-1", "x"));
    assertEquals(Set.of(Scope.INFER, Scope.CLUSTER), node.scopes());
    assertTrue(node.mayUse("any-model"));
    assertTrue(!node.limited());
  }

  @Test
  void modeNoneLetsEveryoneInLimitedPerAddress() {
    Authenticator none = new Authenticator(Mode.NONE, () -> ApiKeys.NONE, null);
    Principal p = ok(none.authenticate(null, null, null, "10.1.2.3"));
    assertEquals(Scope.all(), p.scopes());
    assertEquals("addr:10.1.2.3", p.bucketKey());
  }

  @Test
  void jwtModeRefusesApiKeys() {
    Authenticator jwtOnly = new Authenticator(Mode.JWT, () -> KEYS, null);
    Refusal r = refused(jwtOnly.authenticate(null, KEY, null, "x"));
    assertEquals(401, r.status());
    assertTrue(r.message().contains("API keys are not accepted"));
  }

  @Test
  void certifiedPeerReadsOnlyAPresentChain() {
    assertEquals(null, PeerIdentity.subject((List<Certificate>) null));
    assertEquals(null, PeerIdentity.subject(List.of()));
    assertEquals(null, PeerIdentity.subject((io.vertx.core.http.HttpConnection) null));
  }

  @Test
  void tokenClaimsGiveScopesModelsAndSubject() {
    Principal p = JwtVerifier.principal(new JsonObject().put("exp", 1).put("sub", "camera 7")
        .put("scope", "openid infer admin").put("models", new JsonArray().add("add-one")));
    assertEquals(Set.of(Scope.INFER, Scope.ADMIN), p.scopes());
    assertEquals(Set.of("add-one"), p.models());
    assertEquals("token camera_7", p.id());
    Principal q = JwtVerifier.principal(new JsonObject().put("exp", 1).put("scopes", new JsonArray().add("cluster")));
    assertEquals(Set.of(Scope.CLUSTER), q.scopes());
    assertTrue(q.mayUse("whatever"), "no models claim = every model");
    assertEquals("jwt:(no sub)", q.bucketKey());
    assertTrue(JwtVerifier.principal(new JsonObject().put("exp", 1).put("models", "a b")).mayUse("b"));
  }

  @Test
  void tokenClaimsOfTheWrongShapeAreRefused() {
    String noExp = assertThrowsIae(new JsonObject().put("scope", "infer"));
    assertTrue(noExp.contains("exp"));
    assertTrue(assertThrowsIae(new JsonObject().put("exp", 1).put("scope", 5)).contains("scope"));
    assertTrue(assertThrowsIae(new JsonObject().put("exp", 1).put("models", new JsonArray().add(1)))
        .contains("models"));
  }

  private static String assertThrowsIae(JsonObject claims) {
    return org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> JwtVerifier.principal(claims)).getMessage();
  }
}
