package io.coedge.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * A stored API key: {@code sha256:<salt>:<digest>}, base64url, digest = SHA-256(salt ‖ key). API keys are
 * 256-bit random strings (see {@link HashKey}), not passwords, so a fast salted hash is enough: nobody can
 * guess such a key from its digest, and checking every request stays in microseconds (a slow password hash
 * like PBKDF2 would cost milliseconds per request, on every request). Comparison is constant-time.
 */
public record KeyHash(byte[] salt, byte[] digest) {

  static final String PREFIX = "sha256";
  private static final int SALT_BYTES = 16;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getUrlDecoder();

  public KeyHash {
    salt = salt.clone();
    digest = digest.clone();
  }

  /** Hashes {@code key} with a fresh random salt. */
  public static KeyHash of(String key) {
    byte[] salt = new byte[SALT_BYTES];
    RANDOM.nextBytes(salt);
    return new KeyHash(salt, digest(salt, key));
  }

  /** Parses {@code sha256:<salt>:<digest>}; throws IllegalArgumentException naming what is wrong. */
  public static KeyHash parse(String text) {
    String[] parts = text.split(":", -1);
    if (parts.length != 3 || !PREFIX.equals(parts[0])) {
      throw new IllegalArgumentException("hash must look like sha256:<salt>:<digest> (make one with HashKey)");
    }
    byte[] salt;
    byte[] digest;
    try {
      salt = B64D.decode(parts[1]);
      digest = B64D.decode(parts[2]);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("hash is not sha256:<base64url salt>:<base64url digest>", e);
    }
    if (salt.length < 8 || digest.length != 32) {
      throw new IllegalArgumentException("hash needs a salt of at least 8 bytes and a digest of 32 bytes");
    }
    return new KeyHash(salt, digest);
  }

  /** True when {@code presented} is the key this hash was made from; time independent of where bytes differ. */
  public boolean matches(String presented) {
    return MessageDigest.isEqual(digest, digest(salt, presented));
  }

  /** The stored form, {@code sha256:<salt>:<digest>}. */
  public String text() {
    return PREFIX + ":" + B64.encodeToString(salt) + ":" + B64.encodeToString(digest);
  }

  /** A fresh random key: 256 bits, base64url (no dots, so it is never mistaken for a JWT). */
  public static String randomKey() {
    byte[] key = new byte[32];
    RANDOM.nextBytes(key);
    return "ck_" + B64.encodeToString(key);
  }

  private static byte[] digest(byte[] salt, String key) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(salt);
      return sha.digest(key.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KeyHash k && MessageDigest.isEqual(salt, k.salt) && MessageDigest.isEqual(digest, k.digest);
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(digest);
  }

  @Override
  public String toString() {
    return text();
  }
}
