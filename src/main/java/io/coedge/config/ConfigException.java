package io.coedge.config;

/** A configuration value that cannot be used; the message names the key, the value and what is allowed. */
public final class ConfigException extends RuntimeException {

  public ConfigException(String message) {
    super(message, null, false, false);
  }

  static ConfigException badValue(ConfigKey key, String value, String allowed) {
    return new ConfigException("config key '" + key.name() + "' (env " + key.envName() + "): value '" + value
        + "' is not allowed; " + allowed);
  }
}
