package io.coedge.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coedge.config.AuthConfig;
import io.coedge.config.ConfigException;
import io.coedge.config.RateLimitConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Key material that cannot be used stops the node before it starts, naming the config key. */
class SecurityStartTest {

  static final RateLimitConfig NO_LIMIT = new RateLimitConfig(0, 1, 100);

  @TempDir
  Path dir;

  static AuthConfig jwt(Path secret, Path publicKey) {
    return new AuthConfig(AuthConfig.Mode.JWT, null, 0, true, false, "iss", "aud", secret, publicKey, 30, null);
  }

  static String failure(AuthConfig auth) {
    return assertThrows(ConfigException.class, () -> Security.create(auth, NO_LIMIT, "127.0.0.1")).getMessage();
  }

  @Test
  void aShortSecretOrAnUnreadablePublicKeyIsRefused() throws Exception {
    String shortSecret = failure(jwt(Files.writeString(dir.resolve("s"), "too-short\n"), null));
    assertTrue(shortSecret.contains("security.auth.jwt.hs256-secret-file") && shortSecret.contains("32 bytes"),
        shortSecret);
    String garbage = failure(jwt(null, Files.writeString(dir.resolve("k.pem"), "hello")));
    assertTrue(garbage.contains("security.auth.jwt.public-key-file") && garbage.contains("PEM"), garbage);
    String notAKey = failure(jwt(null, Files.writeString(dir.resolve("k2.pem"),
        "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n")));
    assertTrue(notAKey.contains("neither an RSA nor an EC"), notAKey);
  }

  @Test
  void theNodeKeyIsReadOnceAndAnUnusableOneIsRefusedWithoutQuotingIt() throws Exception {
    String key = KeyHash.randomKey();
    Path good = Files.writeString(dir.resolve("node.key"), key + "\n");
    assertEquals(key, Security.create(node(good), NO_LIMIT, "127.0.0.1").nodeKey());
    Path bad = Files.writeString(dir.resolve("bad.key"), "secret-but-short");
    String m = failure(node(bad));
    assertTrue(m.contains("security.auth.node-key-file") && !m.contains("secret-but-short"), m);
    assertEquals(null, Security.create(node(null), NO_LIMIT, "127.0.0.1").nodeKey());
  }

  static AuthConfig node(Path keyFile) {
    return new AuthConfig(AuthConfig.Mode.NONE, null, 0, true, false, "", "", null, null, 30, keyFile);
  }

  @Test
  void thePublicKeyTypeChoosesTheAlgorithm() throws Exception {
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    assertEquals("RS256", JwtKeys.algorithm(Tokens.pem("PUBLIC KEY", rsa.generateKeyPair().getPublic().getEncoded()),
        dir));
    KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
    ec.initialize(new java.security.spec.ECGenParameterSpec("secp384r1"));
    assertEquals("ES384", JwtKeys.algorithm(Tokens.pem("PUBLIC KEY", ec.generateKeyPair().getPublic().getEncoded()),
        dir));
  }

  @Test
  void aBrokenKeyFileNamesTheKeyAndTheEntry() throws Exception {
    Path keys = Files.writeString(dir.resolve("keys.yaml"), "keys:\n  - id: a\n    hash: x\n    scopes: [infer]\n");
    String m = failure(new AuthConfig(AuthConfig.Mode.KEYS, keys, 0, true, false, "", "", null, null, 30, null));
    assertTrue(m.contains("security.auth.key-file") && m.contains("entry 1 (id 'a')"), m);
  }
}
