package io.coedge.config;

/**
 * Distributed tracing: where spans go (OTLP over HTTP/protobuf) and which share of requests is traced.
 *
 * @param otlpEndpoint  the collector's OTLP/HTTP traces URL (e.g. {@code http://collector:4318/v1/traces});
 *                      empty = tracing off, at no cost on the request path
 * @param traceSampling share of requests without a sampled parent that start a trace (0 to 1); a request whose
 *                      {@code traceparent} says "sampled" is always traced, one that says "not sampled" never
 */
public record ObservabilityConfig(String otlpEndpoint, double traceSampling) {

  public static final double DEFAULT_SAMPLING = 0.01;

  static final ConfigKey OTLP_ENDPOINT = ConfigKey.of("observability.otlp-endpoint", "",
      "OTLP/HTTP (protobuf) traces URL spans are exported to, e.g. `http://collector:4318/v1/traces`; empty = "
          + "tracing off");
  static final ConfigKey TRACE_SAMPLING = ConfigKey.of("observability.trace-sampling", "0.01",
      "Share of requests (0 to 1) that start a trace when no sampled `traceparent` came in; changeable at run "
          + "time through `/v2/trace/setting`");

  public ObservabilityConfig {
    if (!otlpEndpoint.isEmpty() && !otlpEndpoint.matches("https?://[^\\s/]+(/\\S*)?")) {
      throw ConfigException.badValue(OTLP_ENDPOINT, otlpEndpoint, "allowed: empty or an http(s):// URL");
    }
    if (!(traceSampling >= 0 && traceSampling <= 1)) {
      throw ConfigException.badValue(TRACE_SAMPLING, String.valueOf(traceSampling), "allowed: a number from 0 to 1");
    }
  }

  /** True when spans are exported. */
  public boolean tracing() {
    return !otlpEndpoint.isEmpty();
  }

  static ObservabilityConfig from(ConfigSource s) {
    return new ObservabilityConfig(s.string(OTLP_ENDPOINT), s.doubleValue(TRACE_SAMPLING, 0, 1));
  }
}
