package io.coedge.security;

import static io.coedge.security.AuthFixture.entry;
import static io.coedge.security.AuthFixture.error;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Authorization: Basic with the API key as the password, against a real gateway. */
@Timeout(60)
class BasicAuthHttpTest {

  static final String KEY = KeyHash.randomKey();

  @TempDir
  static Path dir;
  static AuthFixture gw;

  @BeforeAll
  static void start() throws Exception {
    Path keys = AuthFixture.writeKeys(dir.resolve("keys.yaml"), entry("hub", KEY, "infer", "add-one"));
    gw = new AuthFixture(Map.of("security.auth.mode", "keys", "security.auth.key-file", keys.toString()));
  }

  @AfterAll
  static void stop() throws Exception {
    gw.close();
  }

  static String basic(String userAndPassword) {
    return "Basic " + Base64.getEncoder().encodeToString(userAndPassword.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void theApiKeyAsThePasswordInfersWhateverTheUserName() {
    HttpResponse<Buffer> r = gw.infer("add-one", "Authorization", basic("anyone:" + KEY));
    assertEquals(200, r.statusCode(), r.bodyAsString());
    assertEquals(200, gw.infer("add-one", "Authorization", basic(":" + KEY)).statusCode());
  }

  @Test
  void theKeysScopesStillApply() {
    assertEquals(403, gw.infer("two-outputs", "Authorization", basic("hub:" + KEY)).statusCode());
  }

  @Test
  void aWrongOrMalformedBasicCredentialIs401() {
    HttpResponse<Buffer> wrong = gw.infer("add-one", "Authorization", basic("hub:" + KeyHash.randomKey()));
    assertEquals(401, wrong.statusCode());
    assertEquals("unknown API key", error(wrong));
    HttpResponse<Buffer> noColon = gw.infer("add-one", "Authorization", basic(KEY));
    assertEquals(401, noColon.statusCode());
    assertTrue(error(noColon).contains("user:password"), error(noColon));
    HttpResponse<Buffer> notBase64 = gw.infer("add-one", "Authorization", "Basic %%%");
    assertEquals(401, notBase64.statusCode());
    assertTrue(error(notBase64).contains("base64"), error(notBase64));
  }
}
