package io.coedge.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Who may call the HTTP API (DESIGN §8): API keys from a key file, JWT bearer tokens, or both; which
 * endpoints stay open. {@code none} (the default) lets every caller in, as on a developer's loopback box.
 *
 * @param keyFile            YAML key file (ids, salted hashes, scopes, models); null when not used
 * @param keyReloadSeconds   how often the key file's modification time is checked; 0 = never reloaded
 * @param jwtIssuer          the {@code iss} a token must carry
 * @param jwtAudience        a value the token's {@code aud} must contain
 * @param jwtSecretFile      file holding the HS256 shared secret; null when not used
 * @param jwtPublicKeyFile   PEM public key (RSA → RS256, EC → ES256/384/512); null when not used
 * @param jwtLeewaySeconds   clock skew tolerated on {@code exp} and {@code nbf}
 * @param nodeKeyFile        file holding the API key this node presents to other nodes; null when not used
 */
public record AuthConfig(
    Mode mode,
    Path keyFile,
    int keyReloadSeconds,
    boolean openHealth,
    boolean openMetrics,
    String jwtIssuer,
    String jwtAudience,
    Path jwtSecretFile,
    Path jwtPublicKeyFile,
    int jwtLeewaySeconds,
    Path nodeKeyFile) {

  /** Which credentials are accepted. */
  public enum Mode {
    NONE, KEYS, JWT, BOTH;

    public boolean keys() {
      return this == KEYS || this == BOTH;
    }

    public boolean jwt() {
      return this == JWT || this == BOTH;
    }
  }

  public static final ConfigKey MODE = ConfigKey.of("security.auth.mode", "none",
      "`none` (no credentials asked), `keys` (API keys), `jwt` (JWT bearer tokens) or `both`");
  public static final ConfigKey KEY_FILE = ConfigKey.of("security.auth.key-file", "",
      "YAML file of API keys (id, salted hash, scopes, models, rate); needed for `keys`/`both`");
  static final ConfigKey KEY_RELOAD = ConfigKey.of("security.auth.key-reload-s", "5",
      "How often the key file is checked for changes (seconds); 0 = never reloaded");
  static final ConfigKey OPEN_HEALTH = ConfigKey.of("security.auth.open-health", "true",
      "`true` = `/v2/health/*` answers without credentials");
  static final ConfigKey OPEN_METRICS = ConfigKey.of("security.auth.open-metrics", "false",
      "`true` = `/metrics` answers without credentials");
  public static final ConfigKey JWT_ISSUER = ConfigKey.of("security.auth.jwt.issuer", "",
      "The `iss` every JWT must carry; needed for `jwt`/`both`");
  public static final ConfigKey JWT_AUDIENCE = ConfigKey.of("security.auth.jwt.audience", "",
      "A value the JWT's `aud` must contain; needed for `jwt`/`both`");
  public static final ConfigKey JWT_SECRET_FILE = ConfigKey.of("security.auth.jwt.hs256-secret-file", "",
      "File holding the HS256 shared secret (at least 32 bytes)");
  public static final ConfigKey JWT_PUBLIC_KEY = ConfigKey.of("security.auth.jwt.public-key-file", "",
      "PEM public key that signs JWTs: RSA → RS256, EC P-256/384/521 → ES256/384/512");
  static final ConfigKey JWT_LEEWAY = ConfigKey.of("security.auth.jwt.leeway-s", "30",
      "Clock skew tolerated on a JWT's `exp` and `nbf` (seconds)");
  public static final ConfigKey NODE_KEY_FILE = ConfigKey.of("security.auth.node-key-file", "",
      "File holding the API key (scope `cluster` on the other nodes) this node sends on offloads and probes; "
          + "empty = none (mutual TLS identifies nodes)");

  public AuthConfig {
    if (mode.keys() && keyFile == null) {
      throw ConfigException.badValue(KEY_FILE, "", "allowed: a readable key file when security.auth.mode is "
          + mode.name().toLowerCase(Locale.ROOT));
    }
    if (mode.jwt()) {
      if (jwtSecretFile == null && jwtPublicKeyFile == null) {
        throw ConfigException.badValue(JWT_SECRET_FILE, "", "allowed: a secret file, or "
            + JWT_PUBLIC_KEY.name() + " set, when security.auth.mode is " + mode.name().toLowerCase(Locale.ROOT));
      }
      if (jwtIssuer.isEmpty()) {
        throw ConfigException.badValue(JWT_ISSUER, "", "allowed: the issuer of accepted tokens (not empty)");
      }
      if (jwtAudience.isEmpty()) {
        throw ConfigException.badValue(JWT_AUDIENCE, "", "allowed: this service's audience name (not empty)");
      }
    }
  }

  static AuthConfig from(ConfigSource s) {
    Mode mode = Mode.valueOf(s.oneOf(MODE, "none", "keys", "jwt", "both").toUpperCase(Locale.ROOT));
    return new AuthConfig(mode, mode.keys() ? file(s, KEY_FILE) : null, s.intValue(KEY_RELOAD, 0, 86_400),
        s.bool(OPEN_HEALTH), s.bool(OPEN_METRICS), s.string(JWT_ISSUER), s.string(JWT_AUDIENCE),
        mode.jwt() ? file(s, JWT_SECRET_FILE) : null, mode.jwt() ? file(s, JWT_PUBLIC_KEY) : null,
        s.intValue(JWT_LEEWAY, 0, 3600), file(s, NODE_KEY_FILE));
  }

  /** The file a key names, or null when the key is empty; a named file must be readable. */
  private static Path file(ConfigSource s, ConfigKey key) {
    String v = s.string(key);
    if (v.isEmpty()) {
      return null;
    }
    Path p = Path.of(v);
    if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
      throw ConfigException.badValue(key, v, "allowed: a readable file (no such file or not readable)");
    }
    return p;
  }
}
