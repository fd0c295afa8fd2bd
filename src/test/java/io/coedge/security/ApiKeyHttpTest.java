package io.coedge.security;

import static io.coedge.security.AuthFixture.entry;
import static io.coedge.security.AuthFixture.error;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** API keys against a real gateway and real models: health protected, metrics open (the non-default choice). */
@Timeout(60)
class ApiKeyHttpTest {

  static final String FULL = KeyHash.randomKey();
  static final String ONLY_ADD_ONE = KeyHash.randomKey();
  static final String OPS = KeyHash.randomKey();

  @TempDir
  static Path dir;
  static AuthFixture gw;

  @BeforeAll
  static void start() throws Exception {
    Path keys = AuthFixture.writeKeys(dir.resolve("keys.yaml"), entry("full", FULL, "infer", null),
        entry("only-add-one", ONLY_ADD_ONE, "infer", "add-one"), entry("ops", OPS, "admin", null));
    gw = new AuthFixture(Map.of("security.auth.mode", "keys", "security.auth.key-file", keys.toString(),
        "security.auth.open-health", "false", "security.auth.open-metrics", "true"));
  }

  @AfterAll
  static void stop() throws Exception {
    gw.close();
  }

  @Test
  void inferWithoutCredentialsIs401WithAChallengeAndAJsonError() {
    HttpResponse<Buffer> r = gw.infer("add-one");
    assertEquals(401, r.statusCode());
    assertEquals("Bearer realm=\"coedge\"", r.getHeader("www-authenticate"));
    assertTrue(error(r).contains("credentials required"), error(r));
    assertEquals(401, gw.get("/v2/models/add-one").statusCode());
    assertEquals(401, gw.get("/v2").statusCode());
  }

  @Test
  void aValidKeyInfersInEitherHeader() {
    HttpResponse<Buffer> r = gw.infer("add-one", "X-API-Key", FULL);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    assertEquals(new JsonArray().add(3.0).add(4.0).add(5.0).add(6.0), // add-one's latest version adds 2
        r.bodyAsJsonObject().getJsonArray("outputs").getJsonObject(0).getJsonArray("data"));
    assertEquals(200, gw.infer("add-one", "Authorization", "Bearer " + FULL).statusCode());
  }

  @Test
  void wrongMalformedAndDoubledCredentialsAre401() {
    HttpResponse<Buffer> wrong = gw.infer("add-one", "X-API-Key", KeyHash.randomKey());
    assertEquals(401, wrong.statusCode());
    assertEquals("unknown API key", error(wrong));
    assertTrue(wrong.getHeader("www-authenticate").contains("invalid_token"));
    HttpResponse<Buffer> basic = gw.infer("add-one", "Authorization", "Basic dXNlcjpwYXNz");
    assertEquals(401, basic.statusCode());
    assertEquals("unknown API key", error(basic), "Basic carries a key as its password; 'pass' is none");
    assertEquals(401, gw.infer("add-one", "Authorization", "Bearer").statusCode());
    assertEquals(401, gw.infer("add-one", "X-API-Key", FULL.substring(0, 20)).statusCode());
    assertEquals(401, gw.infer("add-one", "X-API-Key", FULL, "Authorization", "Bearer " + FULL).statusCode());
  }

  @Test
  void aKeyAllowedOnlyOnOneModelIsRefusedTheOthers() {
    assertEquals(200, gw.infer("add-one", "X-API-Key", ONLY_ADD_ONE).statusCode());
    assertEquals(200, gw.get("/v2/models/add-one", "X-API-Key", ONLY_ADD_ONE).statusCode());
    HttpResponse<Buffer> infer = gw.infer("fixed-shape", "X-API-Key", ONLY_ADD_ONE);
    assertEquals(403, infer.statusCode());
    assertTrue(error(infer).contains("key only-add-one may not use model 'fixed-shape'"), error(infer));
    assertNull(infer.getHeader("www-authenticate"));
    assertEquals(403, gw.get("/v2/models/fixed-shape", "X-API-Key", ONLY_ADD_ONE).statusCode());
    assertEquals(403, gw.get("/v2/models/fixed-shape/versions/1/ready", "X-API-Key", ONLY_ADD_ONE).statusCode());
    assertEquals(403, gw.infer("add%2Done%2F..%2Ffixed-shape", "X-API-Key", ONLY_ADD_ONE).statusCode());
    assertEquals(200, gw.get("/v2/models/fixed-shape", "X-API-Key", FULL).statusCode());
  }

  @Test
  void scopesSeparateInferenceFromAdministration() {
    HttpResponse<Buffer> adminInfers = gw.infer("add-one", "X-API-Key", OPS);
    assertEquals(403, adminInfers.statusCode());
    assertTrue(error(adminInfers).contains("infer"), error(adminInfers));
    assertEquals(200, gw.get("/v2/cluster/nodes", "X-API-Key", OPS).statusCode());
    assertEquals(403, gw.get("/v2/cluster/nodes", "X-API-Key", FULL).statusCode());
    assertEquals(401, gw.get("/v2/cluster/versions").statusCode());
  }

  @Test
  void anOffloadStyleCallNeedsTheClusterScope() {
    HttpResponse<Buffer> hop = gw.infer("add-one", "X-API-Key", FULL, "coedge-hop", "1");
    assertEquals(403, hop.statusCode());
    assertTrue(error(hop).contains("cluster"), error(hop));
  }

  @Test
  void healthIsProtectedAndMetricsOpenAsConfigured() {
    assertEquals(401, gw.get("/v2/health/live").statusCode());
    assertEquals(401, gw.get("/v2/health/ready").statusCode());
    assertEquals(200, gw.get("/v2/health/live", "X-API-Key", OPS).statusCode());
    HttpResponse<Buffer> metrics = gw.get("/metrics");
    assertEquals(200, metrics.statusCode());
    assertTrue(metrics.bodyAsString().contains("# TYPE"));
  }

  @Test
  void unknownEndpointsAreClosedToNonAdminsAndBadEncodingIs400() {
    assertEquals(401, gw.get("/nope").statusCode());
    assertEquals(403, gw.get("/nope", "X-API-Key", FULL).statusCode());
    assertEquals(404, gw.get("/nope", "X-API-Key", OPS).statusCode());
    HttpResponse<Buffer> bad = gw.get("/v2/models/a%zz", "X-API-Key", FULL);
    assertEquals(400, bad.statusCode());
    assertTrue(error(bad).contains("%zz"), error(bad));
  }

  @Test
  void aLargeBodyWithoutCredentialsIsRefusedBeforeItIsRead() {
    io.vertx.core.json.JsonObject big = new io.vertx.core.json.JsonObject()
        .put("pad", "x".repeat(4 * 1024 * 1024));
    HttpResponse<Buffer> r = io.coedge.Eventually.await(gw.send(HttpMethod.POST, "/v2/models/add-one/infer",
        AuthFixture.headers(), big));
    assertEquals(401, r.statusCode());
  }
}
