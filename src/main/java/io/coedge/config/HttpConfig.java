package io.coedge.config;

/** The HTTP listener and its limits. */
public record HttpConfig(String host, int port, long maxBodyBytes, int idleTimeoutSeconds) {

  static final ConfigKey HOST = ConfigKey.of("http.host", "127.0.0.1",
      "Interface the HTTP port binds to (`0.0.0.0` for all)");
  static final ConfigKey PORT = ConfigKey.of("http.port", "8080", "HTTP port (0 = any free port)");
  static final ConfigKey MAX_BODY = ConfigKey.of("http.max-body-bytes", "67108864",
      "Largest request body accepted; larger gets 413");
  static final ConfigKey IDLE = ConfigKey.of("http.idle-timeout-s", "60",
      "Close connections idle this long (seconds)");

  public HttpConfig {
    if (port < 0 || port > 65535) {
      throw ConfigException.badValue(PORT, String.valueOf(port), "allowed: 0 to 65535");
    }
    if (maxBodyBytes < 1024) {
      throw ConfigException.badValue(MAX_BODY, String.valueOf(maxBodyBytes), "allowed: at least 1024");
    }
  }

  static HttpConfig from(ConfigSource s) {
    return new HttpConfig(s.string(HOST), s.intValue(PORT, 0, 65535),
        s.longValue(MAX_BODY, 1024, Integer.MAX_VALUE), s.intValue(IDLE, 1, 86_400));
  }
}
