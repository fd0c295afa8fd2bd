package io.coedge.config;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;

/**
 * Who may publish model versions to this node: Ed25519 public keys that {@code MANIFEST.sig} must verify against.
 *
 * @param trustedKeys      base64 X.509 (as {@code sign-model --new-key} prints) or PEM public keys
 * @param requireSignature refuse every version without a manifest signed by one of them
 */
public record ModelTrustConfig(List<String> trustedKeys, boolean requireSignature) {

  static final ConfigKey TRUSTED_KEYS = ConfigKey.of("security.models.trusted-keys", "",
      "Comma-separated Ed25519 public keys (base64, as `sign-model --new-key` prints) that may sign model versions");
  static final ConfigKey REQUIRE_SIGNATURE = ConfigKey.of("security.models.require-signature", "false",
      "Refuse any model version without a `MANIFEST.sig` by a trusted key");

  public ModelTrustConfig {
    trustedKeys = List.copyOf(trustedKeys);
    for (String k : trustedKeys) {
      try {
        KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(
            k.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", ""))));
      } catch (GeneralSecurityException | IllegalArgumentException e) {
        throw ConfigException.badValue(TRUSTED_KEYS, k.length() > 24 ? k.substring(0, 24) + "…" : k,
            "allowed: base64 X.509 or PEM Ed25519 public keys");
      }
    }
    if (requireSignature && trustedKeys.isEmpty()) {
      throw ConfigException.badValue(REQUIRE_SIGNATURE, "true", "allowed: true only with "
          + TRUSTED_KEYS.name() + " set");
    }
  }

  static ModelTrustConfig from(ConfigSource s) {
    return new ModelTrustConfig(s.list(TRUSTED_KEYS), s.bool(REQUIRE_SIGNATURE));
  }
}
