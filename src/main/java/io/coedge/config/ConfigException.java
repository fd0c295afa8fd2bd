package io.coedge.config;

/**
 * A configuration value that cannot be used; the message names the key, where its value came from (flag,
 * environment variable, file and key, or default), the value and what is allowed.
 */
public final class ConfigException extends RuntimeException {

  private final transient ConfigKey key;
  private final String detail;

  public ConfigException(String message) {
    this(null, message);
  }

  private ConfigException(ConfigKey key, String detail) {
    super(key == null ? detail : "config key '" + key.name() + "': " + detail, null, false, false);
    this.key = key;
    this.detail = detail;
  }

  private ConfigException(ConfigKey key, String origin, String detail) {
    super("config key '" + key.name() + "' (from " + origin + "): " + detail, null, false, false);
    this.key = key;
    this.detail = detail;
  }

  static ConfigException badValue(ConfigKey key, String value, String allowed) {
    return new ConfigException(key, "value '" + value + "' is not allowed; " + allowed);
  }

  /** The key whose value is wrong, or null when the problem is not one key's. */
  public ConfigKey key() {
    return key;
  }

  /** The same problem, saying where the key's value came from. */
  ConfigException from(String origin) {
    return key == null ? this : new ConfigException(key, origin, detail);
  }
}
