package io.coedge.security;

import static io.coedge.security.AuthFixture.error;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coedge.Eventually;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** JWT bearer tokens against a real gateway: HS256 and ES256, every way a token can be wrong; default open-health. */
@Timeout(60)
class JwtHttpTest {

  @TempDir
  static Path dir;
  static Vertx vertx;
  static Tokens tokens;
  static AuthFixture gw;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    tokens = new Tokens(vertx, "a-shared-secret-of-more-than-32-bytes-" + KeyHash.randomKey());
    Path secret = Files.writeString(dir.resolve("hs256.secret"), tokens.secret + "\n");
    Path pub = Files.writeString(dir.resolve("es256.pem"), tokens.publicPem);
    gw = new AuthFixture(Map.of("security.auth.mode", "jwt", "security.auth.jwt.issuer", Tokens.ISSUER,
        "security.auth.jwt.audience", Tokens.AUDIENCE, "security.auth.jwt.hs256-secret-file", secret.toString(),
        "security.auth.jwt.public-key-file", pub.toString()));
  }

  @AfterAll
  static void stop() throws Exception {
    gw.close();
    Eventually.await(vertx.close());
  }

  static HttpResponse<Buffer> inferWith(String token) {
    return gw.infer("add-one", "Authorization", "Bearer " + token);
  }

  static void assertRejected(HttpResponse<Buffer> r, String reason) {
    assertEquals(401, r.statusCode(), r.bodyAsString());
    assertTrue(error(r).contains(reason), error(r));
    assertTrue(r.getHeader("www-authenticate").startsWith("Bearer realm=\"coedge\""));
  }

  @Test
  void validTokensSignedEitherWayInfer() {
    HttpResponse<Buffer> hs = inferWith(tokens.hs256(Tokens.claims("infer")));
    assertEquals(200, hs.statusCode(), hs.bodyAsString());
    assertEquals(4, hs.bodyAsJsonObject().getJsonArray("outputs").getJsonObject(0).getJsonArray("data").size());
    assertEquals(200, inferWith(tokens.es256(Tokens.claims("openid infer"))).statusCode());
    JsonObject arrayScopes = Tokens.claims("x");
    arrayScopes.remove("scope");
    arrayScopes.put("scopes", new JsonArray().add("infer"));
    assertEquals(200, inferWith(tokens.hs256(arrayScopes)).statusCode());
  }

  @Test
  void aMissingTokenIs401() {
    HttpResponse<Buffer> r = gw.infer("add-one");
    assertEquals(401, r.statusCode());
    assertTrue(error(r).contains("JWT"), error(r));
    assertEquals("Bearer realm=\"coedge\"", r.getHeader("www-authenticate"));
  }

  @Test
  void malformedTokensAre401() {
    assertRejected(inferWith("abc.def.ghi"), "malformed");
    assertRejected(inferWith("not-a-token"), "malformed");
    String header = Base64.getUrlEncoder().withoutPadding()
        .encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8));
    String body = Base64.getUrlEncoder().withoutPadding()
        .encodeToString(Tokens.claims("infer").encode().getBytes(StandardCharsets.UTF_8));
    assertRejected(inferWith(header + "." + body + "."), "malformed");
  }

  @Test
  void aWrongSignatureIs401() throws Exception {
    Tokens other = new Tokens(vertx, "another-secret-that-is-long-enough-" + KeyHash.randomKey());
    assertRejected(inferWith(other.hs256(Tokens.claims("infer"))), "bad signature");
    assertRejected(inferWith(other.es256(Tokens.claims("infer"))), "bad signature");
    String good = tokens.hs256(Tokens.claims("infer"));
    String tampered = good.substring(0, good.indexOf('.') + 1)
        + Base64.getUrlEncoder().withoutPadding().encodeToString(Tokens.claims("infer admin").encode()
            .getBytes(StandardCharsets.UTF_8)) + good.substring(good.lastIndexOf('.'));
    assertRejected(inferWith(tampered), "bad signature");
  }

  @Test
  void expiredWrongAudienceWrongIssuerAndNoExpiryAre401() {
    long now = System.currentTimeMillis() / 1000;
    assertRejected(inferWith(tokens.hs256(Tokens.claims("infer").put("exp", now - 3600))), "expired");
    assertRejected(inferWith(tokens.hs256(Tokens.claims("infer").put("aud", "someone-else"))), "wrong audience");
    assertRejected(inferWith(tokens.hs256(Tokens.claims("infer").put("iss", "https://evil.test"))), "wrong issuer");
    JsonObject noExp = Tokens.claims("infer");
    noExp.remove("exp");
    assertRejected(inferWith(tokens.hs256(noExp)), "exp");
  }

  @Test
  void aValidTokenWithoutTheScopeOrTheModelIs403() {
    HttpResponse<Buffer> scope = inferWith(tokens.hs256(Tokens.claims("admin")));
    assertEquals(403, scope.statusCode());
    assertTrue(error(scope).contains("token camera-7 lacks the scope this needs (infer)"), error(scope));
    HttpResponse<Buffer> model = inferWith(tokens.hs256(Tokens.claims("infer")
        .put("models", new JsonArray().add("fixed-shape"))));
    assertEquals(403, model.statusCode());
    assertTrue(error(model).contains("may not use model 'add-one'"), error(model));
    assertEquals(200, gw.get("/v2/models/fixed-shape", "Authorization", "Bearer "
        + tokens.hs256(Tokens.claims("infer").put("models", new JsonArray().add("fixed-shape")))).statusCode());
  }

  @Test
  void healthIsOpenAndMetricsProtectedByDefault() {
    assertEquals(200, gw.get("/v2/health/live").statusCode());
    assertEquals(200, gw.get("/v2/health/ready").statusCode());
    assertEquals(401, gw.get("/metrics").statusCode());
    assertEquals(200, gw.get("/metrics", "Authorization", "Bearer " + tokens.es256(Tokens.claims("admin")))
        .statusCode());
  }

  @Test
  void apiKeysAreNotAcceptedInJwtMode() {
    HttpResponse<Buffer> r = gw.infer("add-one", "X-API-Key", KeyHash.randomKey());
    assertEquals(401, r.statusCode());
    assertTrue(error(r).contains("API keys are not accepted"), error(r));
  }
}
