package io.coedge.security;

import static io.coedge.security.AuthFixture.entry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coedge.Eventually;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Every log line of a node's life with keys and tokens in use, at every level, is free of secrets. */
@Timeout(60)
class SecretLoggingTest {

  @TempDir
  Path dir;

  @Test
  void noKeySecretOrTokenEverReachesTheLogs() throws Exception {
    String key = KeyHash.randomKey();
    String nearMiss = key.substring(0, key.length() - 2) + "zz";
    Vertx vertx = Vertx.vertx();
    Tokens tokens = new Tokens(vertx, "hs256-secret-that-must-stay-private-" + KeyHash.randomKey());
    String token = tokens.hs256(Tokens.claims("infer"));
    String expired = tokens.hs256(Tokens.claims("infer").put("exp", 1));
    Path keys = AuthFixture.writeKeys(dir.resolve("keys.yaml"), entry("hub", key, "infer", null));
    Path secret = Files.writeString(dir.resolve("secret"), tokens.secret);
    try (LogCapture logs = new LogCapture()) {
      try (AuthFixture gw = new AuthFixture(Map.of("security.auth.mode", "both", "security.auth.key-file",
          keys.toString(), "security.auth.key-reload-s", "1", "security.auth.jwt.issuer", Tokens.ISSUER,
          "security.auth.jwt.audience", Tokens.AUDIENCE, "security.auth.jwt.hs256-secret-file", secret.toString(),
          "security.rate-limit.rate", "0.1", "security.rate-limit.burst", "3"))) {
        assertEquals(200, gw.infer("add-one", "X-API-Key", key).statusCode());
        assertEquals(200, gw.infer("add-one", "Authorization", "Bearer " + key).statusCode());
        assertEquals(401, gw.infer("add-one", "X-API-Key", nearMiss).statusCode());
        assertEquals(200, gw.infer("add-one", "Authorization", "Bearer " + token).statusCode());
        assertEquals(401, gw.infer("add-one", "Authorization", "Bearer " + expired).statusCode());
        assertEquals(200, gw.infer("add-one", "X-API-Key", key).statusCode());
        assertEquals(429, gw.infer("add-one", "X-API-Key", key).statusCode(), "burst 3 spent");
        assertEquals(401, gw.infer("add-one", "X-API-Key", token).statusCode());
        Files.writeString(keys, "keys:\n  - id: hub\n    hash: " + key + "\n    scopes: [infer]\n");
        Eventually.within(15_000, "the broken key file is reported", () -> logs.any("not reloaded", Level.WARNING));
      }
      List<String> lines = logs.lines();
      assertTrue(lines.stream().anyMatch(l -> l.contains("API keys loaded") && l.contains("[hub]")),
          "the capture sees the node's own lines");
      assertTrue(lines.size() > 20, "a node's life at level ALL has more than " + lines.size() + " lines");
      for (String l : lines) {
        for (String s : List.of(key.substring(3), nearMiss.substring(3), tokens.secret, token, expired,
            token.substring(token.lastIndexOf('.') + 1))) {
          assertTrue(!l.contains(s), "a secret in the log: " + l);
        }
      }
    } finally {
      Eventually.await(vertx.close());
    }
  }
}
