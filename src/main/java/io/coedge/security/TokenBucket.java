package io.coedge.security;

import java.util.function.LongSupplier;

/**
 * A token bucket: holds up to {@code burst} tokens, refilled continuously at {@code perSecond}; a request
 * takes one. Safe for use from several event loops at once (each call holds the bucket's lock briefly).
 */
public final class TokenBucket {

  private static final double NANOS = 1e9;

  private final Limit limit;
  private final LongSupplier nanoClock;
  private double tokens;
  private long refilledAt;

  public TokenBucket(Limit limit, LongSupplier nanoClock) {
    this.limit = limit;
    this.nanoClock = nanoClock;
    this.tokens = limit.burst();
    this.refilledAt = nanoClock.getAsLong();
  }

  /**
   * Takes one token if there is one.
   *
   * @return 0 when the request may go, else how long until a token is there (ns, at least 1)
   */
  public synchronized long take() {
    if (limit.unlimited()) {
      return 0;
    }
    refill();
    if (tokens >= 1) {
      tokens -= 1;
      return 0;
    }
    return Math.max(1, (long) Math.ceil((1 - tokens) / limit.perSecond() * NANOS));
  }

  /** True when the bucket is full again: forgetting it changes nothing for its caller. */
  public synchronized boolean idle() {
    refill();
    return tokens >= limit.burst();
  }

  public Limit limit() {
    return limit;
  }

  private void refill() {
    long now = nanoClock.getAsLong();
    long elapsed = now - refilledAt;
    if (elapsed > 0) {
      tokens = Math.min(limit.burst(), tokens + elapsed / NANOS * limit.perSecond());
      refilledAt = now;
    }
  }
}
