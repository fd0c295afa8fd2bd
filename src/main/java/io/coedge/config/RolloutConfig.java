package io.coedge.config;

/**
 * How this node follows the fleet's rollouts (DESIGN §12): how often it compares its targets with what it serves,
 * how long it waits after a failed attempt, and the bandwidth its fetches from peers may use.
 *
 * @param maxMbps    cap on the bytes this node fetches from peers, Mbit/s; 0 = no cap
 * @param intervalMs targets are checked this often
 * @param retryMs    a failed fetch, verification or load is tried again after this long
 */
public record RolloutConfig(double maxMbps, long intervalMs, long retryMs) {

  static final ConfigKey MAX_MBPS = ConfigKey.of("rollout.max-mbps", "0",
      "Bandwidth a node's rollout fetches from peers may use (Mbit/s); 0 = no cap");
  static final ConfigKey INTERVAL = ConfigKey.of("rollout.interval-ms", "1000",
      "A node compares its rollout targets with what it serves this often");
  static final ConfigKey RETRY = ConfigKey.of("rollout.retry-ms", "10000",
      "A failed rollout step (fetch, verify, load) is tried again after this long");

  public RolloutConfig {
    if (!(maxMbps >= 0 && maxMbps <= 1e6)) {
      throw ConfigException.badValue(MAX_MBPS, String.valueOf(maxMbps), "allowed: 0 to 1000000");
    }
    if (intervalMs < 10 || intervalMs > 3_600_000) {
      throw ConfigException.badValue(INTERVAL, String.valueOf(intervalMs), "allowed: 10 to 3600000");
    }
    if (retryMs < 0 || retryMs > 86_400_000) {
      throw ConfigException.badValue(RETRY, String.valueOf(retryMs), "allowed: 0 to 86400000");
    }
  }

  static RolloutConfig from(ConfigSource s) {
    return new RolloutConfig(s.doubleValue(MAX_MBPS, 0, 1e6), s.longValue(INTERVAL, 10, 3_600_000),
        s.longValue(RETRY, 0, 86_400_000));
  }
}
