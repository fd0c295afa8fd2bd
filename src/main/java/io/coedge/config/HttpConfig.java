package io.coedge.config;

/**
 * The HTTP listener and its limits.
 *
 * @param requestTimeoutSeconds a request's body must be complete, and a new connection's first request line and
 *                              headers must have arrived, within this many seconds; else the connection is closed
 * @param h2MaxStreams          HTTP/2 SETTINGS_MAX_CONCURRENT_STREAMS advertised to clients
 * @param h2MaxHeaderListBytes  HTTP/2 SETTINGS_MAX_HEADER_LIST_SIZE advertised to clients
 * @param grpcPort              the gRPC listener's port: 0 = any free port, {@link #GRPC_OFF} = no gRPC listener
 */
public record HttpConfig(String host, int port, long maxBodyBytes, int idleTimeoutSeconds, int maxHeaderBytes,
    int maxInitialLineBytes, int requestTimeoutSeconds, int h2MaxStreams, int h2MaxHeaderListBytes,
    int grpcPort) {

  static final ConfigKey HOST = ConfigKey.of("http.host", "127.0.0.1",
      "Interface the HTTP port binds to (`0.0.0.0` for all)");
  static final ConfigKey PORT = ConfigKey.of("http.port", "8080", "HTTP port (0 = any free port)");
  static final ConfigKey MAX_BODY = ConfigKey.of("http.max-body-bytes", "67108864",
      "Largest request body accepted; larger gets 413");
  static final ConfigKey IDLE = ConfigKey.of("http.idle-timeout-s", "60",
      "Close connections idle this long (seconds); also the longest a kept-alive connection may take to send "
          + "its next request's headers");
  static final ConfigKey MAX_HEADER = ConfigKey.of("http.max-header-bytes", "8192",
      "Largest total size of a request's HTTP/1.x headers; larger gets 431");
  static final ConfigKey MAX_INITIAL_LINE = ConfigKey.of("http.max-initial-line-bytes", "4096",
      "Longest HTTP/1.x request line (method, URI, version); longer gets 414");
  static final ConfigKey REQUEST_TIMEOUT = ConfigKey.of("http.request-timeout-s", "30",
      "A request body must arrive completely, and a new connection must send its request headers, within this "
          + "many seconds, else the connection is closed (slow-sender guard)");
  static final ConfigKey H2_MAX_STREAMS = ConfigKey.of("http.h2-max-concurrent-streams", "100",
      "HTTP/2: most concurrent streams per connection (when HTTP/2 is enabled)");
  static final ConfigKey H2_MAX_HEADER_LIST = ConfigKey.of("http.h2-max-header-list-bytes", "8192",
      "HTTP/2: largest header list a client may send (when HTTP/2 is enabled)");

  static final ConfigKey GRPC_PORT = ConfigKey.of("http.grpc-port", "",
      "gRPC (Open Inference Protocol) port; empty = `http.port` + 1 (8081 by default, any free port when `http.port` "
          + "is 0), 0 = any free port, `off` = no gRPC listener");
  /** {@link #grpcPort()} when the gRPC listener is off. */
  public static final int GRPC_OFF = -1;

  public HttpConfig {
    if (grpcPort < GRPC_OFF || grpcPort > 65535) {
      throw ConfigException.badValue(GRPC_PORT, String.valueOf(grpcPort), "allowed: empty, off, 0 to 65535");
    }
    if (port < 0 || port > 65535) {
      throw ConfigException.badValue(PORT, String.valueOf(port), "allowed: 0 to 65535");
    }
    if (maxBodyBytes < 1024) {
      throw ConfigException.badValue(MAX_BODY, String.valueOf(maxBodyBytes), "allowed: at least 1024");
    }
  }

  static HttpConfig from(ConfigSource s) {
    return new HttpConfig(s.string(HOST), s.intValue(PORT, 0, 65535),
        s.longValue(MAX_BODY, 1024, Integer.MAX_VALUE), s.intValue(IDLE, 1, 86_400),
        s.intValue(MAX_HEADER, 1024, 1 << 20), s.intValue(MAX_INITIAL_LINE, 256, 1 << 20),
        s.intValue(REQUEST_TIMEOUT, 1, 3600), s.intValue(H2_MAX_STREAMS, 1, 10_000),
        s.intValue(H2_MAX_HEADER_LIST, 1024, 1 << 20), grpcPort(s));
  }

  /** Next to the HTTP port unless set: Triton's 8000/8001 pairing, and no clash when tests take any free port. */
  private static int grpcPort(ConfigSource s) {
    String v = s.string(GRPC_PORT).trim();
    if (v.equals("off")) {
      return GRPC_OFF;
    }
    if (v.isEmpty()) {
      int http = s.intValue(PORT, 0, 65535);
      if (http == 65535) {
        throw ConfigException.badValue(GRPC_PORT, v, "allowed: set it (off, 0 to 65535) when http.port is 65535");
      }
      return http == 0 ? 0 : http + 1;
    }
    return s.intValue(GRPC_PORT, 0, 65535);
  }
}
