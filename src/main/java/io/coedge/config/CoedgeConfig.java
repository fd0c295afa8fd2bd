package io.coedge.config;

import java.util.Map;

/** The whole configuration: one immutable record per section. */
public record CoedgeConfig(NodeConfig node, HttpConfig http, InferenceConfig inference, ClusterConfig cluster,
    OffloadConfig offload, TlsConfig tls, AuthConfig auth, RateLimitConfig rateLimit, LogConfig log,
    ModelTrustConfig models, RolloutConfig rollout, ObservabilityConfig observability, ScaleConfig scale) {

  public CoedgeConfig {
    String advertised = cluster.advertiseUrl();
    if (tls.enabled() && !advertised.isEmpty() && !advertised.startsWith("https://")) {
      throw ConfigException.badValue(ClusterConfig.ADVERTISE_URL, advertised,
          "allowed: an https:// URL (or empty) while security.tls.cert is set");
    }
  }

  /** Touches every section so that all keys are declared before {@link ConfigKey#all()} answers. */
  static void declareKeys() {
    Object[] sections = {NodeConfig.ID, HttpConfig.PORT, InferenceConfig.MODELS, ClusterConfig.NAME,
        OffloadConfig.LAMBDA, TlsConfig.CERT, AuthConfig.MODE, RateLimitConfig.RATE, LogConfig.FORMAT,
        ModelTrustConfig.TRUSTED_KEYS, RolloutConfig.MAX_MBPS, ObservabilityConfig.OTLP_ENDPOINT,
        ScaleConfig.ACTUATOR};
    assert sections.length > 0;
  }

  /** Builds every section; a bad value's error names where it came from (flag, variable, file and key). */
  public static CoedgeConfig from(ConfigSource s) {
    try {
      HttpConfig http = HttpConfig.from(s);
      return new CoedgeConfig(NodeConfig.from(s, http.port()), http, InferenceConfig.from(s), ClusterConfig.from(s),
          OffloadConfig.from(s), TlsConfig.from(s), AuthConfig.from(s), RateLimitConfig.from(s), LogConfig.from(s),
          ModelTrustConfig.from(s), RolloutConfig.from(s), ObservabilityConfig.from(s), ScaleConfig.from(s));
    } catch (ConfigException e) {
      throw e.key() == null ? e : e.from(s.origin(e.key()));
    }
  }

  /** The built-in defaults, as used with no file, no environment and no flags. */
  public static CoedgeConfig defaults() {
    return from(ConfigSource.of(Map.of()));
  }

  /** Parses the command line ({@code --config FILE} and the flags of {@link CommandLine}) over the environment. */
  public static CoedgeConfig fromArgs(String[] args, Map<String, String> env) {
    return CommandLine.parse(args).config(env);
  }
}
