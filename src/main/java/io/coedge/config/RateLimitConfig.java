package io.coedge.config;

/**
 * Per-caller token buckets (DESIGN §8): one bucket per API key id or JWT subject, one per client address
 * for anonymous callers; a key may override the default in the key file.
 *
 * @param rate       requests per second refilled into each bucket; 0 = no rate limit
 * @param burst      bucket size: requests a caller may send at once after being idle
 * @param maxBuckets buckets kept at most; idle (full) buckets are evicted first, then newcomers share one
 */
public record RateLimitConfig(double rate, int burst, int maxBuckets) {

  public static final ConfigKey RATE = ConfigKey.of("security.rate-limit.rate", "0",
      "Requests per second allowed per API key, JWT subject or (anonymous) client address; 0 = no limit");
  public static final ConfigKey BURST = ConfigKey.of("security.rate-limit.burst", "50",
      "Requests a caller may send at once after being idle (token bucket size)");
  static final ConfigKey MAX_BUCKETS = ConfigKey.of("security.rate-limit.max-buckets", "10000",
      "Most callers tracked at once; idle ones are forgotten first, then newcomers share one bucket");

  public RateLimitConfig {
    if (!(rate >= 0) || Double.isInfinite(rate)) {
      throw ConfigException.badValue(RATE, String.valueOf(rate), "allowed: a number from 0 to 1000000");
    }
    if (burst < 1) {
      throw ConfigException.badValue(BURST, String.valueOf(burst), "allowed: an integer from 1 to 1000000");
    }
  }

  public boolean enabled() {
    return rate > 0;
  }

  static RateLimitConfig from(ConfigSource s) {
    return new RateLimitConfig(s.doubleValue(RATE, 0, 1_000_000), s.intValue(BURST, 1, 1_000_000),
        s.intValue(MAX_BUCKETS, 16, 10_000_000));
  }
}
