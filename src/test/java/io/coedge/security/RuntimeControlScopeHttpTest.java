package io.coedge.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.coedge.Eventually;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The trace settings (global and per model) and the logging extension need the admin scope, read or changed. */
@Timeout(60)
class RuntimeControlScopeHttpTest {

  static final String INFER = KeyHash.randomKey();
  static final String ADMIN = KeyHash.randomKey();
  static final List<String> PATHS = List.of("/v2/trace/setting", "/v2/models/add-one/trace/setting",
      "/v2/logging");

  @TempDir
  static Path dir;
  static AuthFixture gw;

  @BeforeAll
  static void start() throws Exception {
    gw = AuthFixture.inferAndAdmin(dir, INFER, ADMIN);
  }

  @AfterAll
  static void stop() throws Exception {
    gw.close();
  }

  static int status(HttpMethod method, String path, String key) {
    return Eventually.await(gw.send(method, path, AuthFixture.headers("X-API-Key", key),
        method == HttpMethod.POST ? new JsonObject() : null)).statusCode();
  }

  @Test
  void anInferKeyIsRefusedAndAnAdminKeyServed() {
    for (String path : PATHS) {
      assertEquals(403, status(HttpMethod.GET, path, INFER), "GET " + path);
      assertEquals(403, status(HttpMethod.POST, path, INFER), "POST " + path);
      assertEquals(200, status(HttpMethod.GET, path, ADMIN), "GET " + path);
    }
    assertEquals(200, status(HttpMethod.POST, "/v2/logging", ADMIN), "an empty change is accepted");
    assertEquals(401, Eventually.await(gw.send(HttpMethod.GET, "/v2/logging", AuthFixture.headers(), null))
        .statusCode());
  }
}
