package io.coedge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuthConfigTest {

  @TempDir
  Path dir;

  static CoedgeConfig config(String... kv) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return CoedgeConfig.fromArgs(new String[0], env(m));
  }

  /** Passes keys the way an operator would: as COEDGE_* environment variables. */
  static Map<String, String> env(Map<String, String> keys) {
    Map<String, String> env = new HashMap<>();
    keys.forEach((k, v) -> env.put(ConfigKey.all().stream().filter(c -> c.name().equals(k)).findFirst()
        .orElseThrow().envName(), v));
    return env;
  }

  static void assertBad(String key, String value, String allowed, String... kv) {
    ConfigException e = assertThrows(ConfigException.class, () -> config(kv));
    assertTrue(e.getMessage().contains(key) && e.getMessage().contains("'" + value + "'")
        && e.getMessage().contains(allowed), e.getMessage());
  }

  @Test
  void byDefaultNobodyIsAskedForCredentialsAndNothingIsRateLimited() {
    CoedgeConfig c = CoedgeConfig.defaults();
    assertEquals(AuthConfig.Mode.NONE, c.auth().mode());
    assertTrue(c.auth().openHealth());
    assertFalse(c.auth().openMetrics());
    assertFalse(c.rateLimit().enabled());
  }

  @Test
  void aModeThatNeedsFilesRefusesToStartWithoutThem() {
    assertBad("security.auth.mode", "basic", "none, keys, jwt, both", "security.auth.mode", "basic");
    assertBad("security.auth.key-file", "", "a readable key file", "security.auth.mode", "keys");
    assertBad("security.auth.key-file", dir.resolve("missing.yaml").toString(), "readable file",
        "security.auth.mode", "both", "security.auth.key-file", dir.resolve("missing.yaml").toString());
    assertBad("security.auth.jwt.hs256-secret-file", "", "security.auth.jwt.public-key-file",
        "security.auth.mode", "jwt", "security.auth.jwt.issuer", "i", "security.auth.jwt.audience", "a");
  }

  @Test
  void jwtNeedsAnIssuerAndAnAudience() throws Exception {
    String secret = Files.writeString(dir.resolve("s"), "x".repeat(40)).toString();
    assertBad("security.auth.jwt.issuer", "", "not empty", "security.auth.mode", "jwt",
        "security.auth.jwt.hs256-secret-file", secret, "security.auth.jwt.audience", "a");
    assertBad("security.auth.jwt.audience", "", "not empty", "security.auth.mode", "jwt",
        "security.auth.jwt.hs256-secret-file", secret, "security.auth.jwt.issuer", "i");
    AuthConfig ok = config("security.auth.mode", "jwt", "security.auth.jwt.hs256-secret-file", secret,
        "security.auth.jwt.issuer", "i", "security.auth.jwt.audience", "a").auth();
    assertEquals(Path.of(secret), ok.jwtSecretFile());
  }

  @Test
  void rateLimitValuesAreChecked() {
    assertBad("security.rate-limit.rate", "-1", "0 to", "security.rate-limit.rate", "-1");
    assertBad("security.rate-limit.burst", "0", "1 to", "security.rate-limit.burst", "0");
    assertBad("security.rate-limit.max-buckets", "5", "16 to", "security.rate-limit.max-buckets", "5");
    RateLimitConfig r = config("security.rate-limit.rate", "2.5", "security.rate-limit.burst", "7").rateLimit();
    assertEquals(2.5, r.rate());
    assertEquals(7, r.burst());
    assertTrue(r.enabled());
  }
}
