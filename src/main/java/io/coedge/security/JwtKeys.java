package io.coedge.security;

import io.coedge.config.AuthConfig;
import io.coedge.config.ConfigException;
import io.coedge.config.ConfigKey;
import io.vertx.ext.auth.PubSecKeyOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** Reads the JWT verification keys named in {@link AuthConfig}; a bad file stops the start, naming its key. */
final class JwtKeys {

  static final int MIN_SECRET_BYTES = 32;

  private JwtKeys() {
  }

  static List<PubSecKeyOptions> read(AuthConfig config) {
    List<PubSecKeyOptions> keys = new ArrayList<>();
    if (config.jwtSecretFile() != null) {
      byte[] secret = bytes(config.jwtSecretFile(), AuthConfig.JWT_SECRET_FILE);
      String text = new String(secret, StandardCharsets.UTF_8).strip();
      if (text.getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
        throw bad(AuthConfig.JWT_SECRET_FILE, config.jwtSecretFile(),
            "the secret must be at least " + MIN_SECRET_BYTES + " bytes (e.g. `openssl rand -base64 48`)");
      }
      keys.add(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(text));
    }
    if (config.jwtPublicKeyFile() != null) {
      String pem = new String(bytes(config.jwtPublicKeyFile(), AuthConfig.JWT_PUBLIC_KEY), StandardCharsets.US_ASCII);
      keys.add(new PubSecKeyOptions().setAlgorithm(algorithm(pem, config.jwtPublicKeyFile())).setBuffer(pem));
    }
    return keys;
  }

  /** RS256 for an RSA key, ES256/384/512 for an EC key on P-256/384/521. */
  static String algorithm(String pem, Path file) {
    PublicKey key = parse(pem, file);
    if (key instanceof ECPublicKey ec) {
      int bits = ec.getParams().getCurve().getField().getFieldSize();
      return switch (bits) {
        case 256 -> "ES256";
        case 384 -> "ES384";
        case 521 -> "ES512";
        default -> throw bad(AuthConfig.JWT_PUBLIC_KEY, file, "EC keys must be on P-256, P-384 or P-521");
      };
    }
    return "RS256";
  }

  private static PublicKey parse(String pem, Path file) {
    String begin = "-----BEGIN PUBLIC KEY-----";
    String end = "-----END PUBLIC KEY-----";
    int b = pem.indexOf(begin);
    int e = pem.indexOf(end);
    if (b < 0 || e < b) {
      throw bad(AuthConfig.JWT_PUBLIC_KEY, file, "expected a PEM `BEGIN PUBLIC KEY` block (RSA or EC)");
    }
    byte[] der;
    try {
      der = Base64.getMimeDecoder().decode(pem.substring(b + begin.length(), e));
    } catch (IllegalArgumentException x) {
      throw bad(AuthConfig.JWT_PUBLIC_KEY, file, "the PEM block is not valid base64");
    }
    for (String type : new String[] {"RSA", "EC"}) {
      try {
        return KeyFactory.getInstance(type).generatePublic(new X509EncodedKeySpec(der));
      } catch (GeneralSecurityException x) {
        // try the next type
      }
    }
    throw bad(AuthConfig.JWT_PUBLIC_KEY, file, "the PEM block is neither an RSA nor an EC public key");
  }

  private static byte[] bytes(Path file, ConfigKey key) {
    try {
      if (Files.size(file) > 1 << 16) {
        throw bad(key, file, "the file is larger than 64 KiB");
      }
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw bad(key, file, "cannot read it: " + e.getMessage());
    }
  }

  private static ConfigException bad(ConfigKey key, Path file, String why) {
    return new ConfigException("config key '" + key.name() + "' (env " + key.envName() + "): file '" + file
        + "' cannot be used; " + why);
  }
}
