package io.coedge.rollout;

import java.util.function.LongSupplier;

/**
 * A token bucket counted in bytes for fetch streams ({@code rollout.max-mbps}): refilled at the rate, holding at
 * most a quarter second's worth; taking more than is there leaves a debt the caller waits out. Thread-safe.
 */
public final class ByteBudget {

  private static final double NANOS = 1e9;
  private final double bytesPerSecond;
  private final double burst;
  private final LongSupplier nanoClock;
  private double tokens;
  private long refilledAt;

  /** {@code mbps} megabits per second; 0 means unlimited. */
  public ByteBudget(double mbps, LongSupplier nanoClock) {
    if (!(mbps >= 0)) {
      throw new IllegalArgumentException("mbps must be at least 0, not " + mbps);
    }
    this.bytesPerSecond = mbps * 1e6 / 8;
    this.burst = Math.max(64 * 1024, bytesPerSecond / 4);
    this.nanoClock = nanoClock;
    this.tokens = burst;
    this.refilledAt = nanoClock.getAsLong();
  }

  /** Takes {@code bytes}; returns how long to wait (ns) before reading more, 0 when within budget. */
  public synchronized long take(int bytes) {
    if (bytesPerSecond == 0) {
      return 0;
    }
    long now = nanoClock.getAsLong();
    tokens = Math.min(burst, tokens + (now - refilledAt) / NANOS * bytesPerSecond);
    refilledAt = now;
    tokens -= bytes;
    return tokens >= 0 ? 0 : (long) Math.ceil(-tokens / bytesPerSecond * NANOS);
  }
}
