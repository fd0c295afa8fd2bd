package io.coedge.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The whole configuration: one immutable record per section. */
public record CoedgeConfig(NodeConfig node, HttpConfig http, InferenceConfig inference, ClusterConfig cluster,
    OffloadConfig offload, TlsConfig tls, AuthConfig auth, RateLimitConfig rateLimit, ModelTrustConfig models,
    RolloutConfig rollout) {

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
        OffloadConfig.LAMBDA, TlsConfig.CERT, AuthConfig.MODE, RateLimitConfig.RATE, ModelTrustConfig.TRUSTED_KEYS,
        RolloutConfig.MAX_MBPS};
    assert sections.length > 0;
  }

  public static CoedgeConfig from(ConfigSource s) {
    HttpConfig http = HttpConfig.from(s);
    return new CoedgeConfig(NodeConfig.from(s, http.port()), http, InferenceConfig.from(s), ClusterConfig.from(s),
        OffloadConfig.from(s), TlsConfig.from(s), AuthConfig.from(s), RateLimitConfig.from(s),
        ModelTrustConfig.from(s), RolloutConfig.from(s));
  }

  /** The built-in defaults, as used with no file, no environment and no flags. */
  public static CoedgeConfig defaults() {
    return from(ConfigSource.of(Map.of()));
  }

  private static final Map<String, String> FLAGS = Map.of(
      "--port", HttpConfig.PORT.name(),
      "--models", InferenceConfig.MODELS.name(),
      "--node-id", NodeConfig.ID.name(),
      "--role", NodeConfig.ROLE.name(),
      "--cluster-members", ClusterConfig.MEMBERS.name(),
      "--cluster-port", ClusterConfig.PORT.name());

  /** Parses the command line ({@code --config FILE} and the flags above) over the environment. */
  public static CoedgeConfig fromArgs(String[] args, Map<String, String> env) {
    Path file = null;
    Map<String, String> overrides = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      String value = null;
      int eq = flag.indexOf('=');
      if (flag.startsWith("--") && eq > 0) {
        value = flag.substring(eq + 1);
        flag = flag.substring(0, eq);
      } else if (i + 1 < args.length) {
        value = args[++i];
      }
      if (value == null) {
        throw new ConfigException("flag " + flag + " needs a value");
      }
      if ("--config".equals(flag)) {
        file = Path.of(value);
        if (!Files.isRegularFile(file)) {
          throw new ConfigException("--config " + value + ": no such file");
        }
      } else if (FLAGS.containsKey(flag)) {
        overrides.put(FLAGS.get(flag), value);
      } else {
        throw new ConfigException("unknown flag " + flag + "; allowed: --config " + String.join(" ", FLAGS.keySet()));
      }
    }
    return from(ConfigSource.load(file, env, overrides));
  }
}
