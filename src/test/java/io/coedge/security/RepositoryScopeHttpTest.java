package io.coedge.security;

import io.coedge.Eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The model repository endpoints need the admin scope; the config endpoint is read with infer. */
@Timeout(60)
class RepositoryScopeHttpTest {

  static final String INFER = KeyHash.randomKey();
  static final String ADMIN = KeyHash.randomKey();

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

  static HttpResponse<Buffer> post(String path, String key) {
    return Eventually.await(gw.send(HttpMethod.POST, path, AuthFixture.headers("X-API-Key", key), new JsonObject()));
  }

  @Test
  void repositoryEndpointsAreForAdminsOnly() {
    assertEquals(401, Eventually.await(gw.send(HttpMethod.POST, "/v2/repository/index", AuthFixture.headers(),
        new JsonObject())).statusCode());
    assertEquals(403, post("/v2/repository/index", INFER).statusCode());
    assertEquals(403, post("/v2/repository/models/add-one/unload", INFER).statusCode());
    HttpResponse<Buffer> index = post("/v2/repository/index", ADMIN);
    assertEquals(200, index.statusCode());
    assertTrue(index.bodyAsString().contains("\"name\":\"add-one\""), index.bodyAsString());
    HttpResponse<Buffer> load = post("/v2/repository/models/add-one/load", ADMIN);
    assertEquals(400, load.statusCode(), "model-control none takes no explicit load");
    assertTrue(AuthFixture.error(load).contains("inference.model-control"), load.bodyAsString());
    assertEquals(200, gw.get("/v2/models/add-one/config", "X-API-Key", INFER).statusCode());
  }
}
