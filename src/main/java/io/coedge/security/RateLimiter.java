package io.coedge.security;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * One {@link TokenBucket} per caller, shared by every event loop. Memory stays bounded: past {@code maxBuckets},
 * full (idle) buckets are dropped — a new one would be full too — at most once per second; callers that still
 * find no room share one overflow bucket, so a flood of new client addresses cannot grow the map.
 */
public final class RateLimiter {

  static final String OVERFLOW = "(overflow)";
  private static final long SWEEP_EVERY_NANOS = 1_000_000_000L;

  private final Limit defaults;
  private final int maxBuckets;
  private final LongSupplier nanoClock;
  private final ConcurrentHashMap<String, TokenBucket> buckets = new ConcurrentHashMap<>();
  private final AtomicLong lastSweep;

  public RateLimiter(Limit defaults, int maxBuckets, LongSupplier nanoClock) {
    this.defaults = defaults;
    this.maxBuckets = maxBuckets;
    this.nanoClock = nanoClock;
    this.lastSweep = new AtomicLong(nanoClock.getAsLong() - SWEEP_EVERY_NANOS);
  }

  /**
   * Takes a token from {@code key}'s bucket.
   *
   * @param own the caller's own limit, or null for the default
   * @return 0 when the request may go, else ns until it may
   */
  public long take(String key, Limit own) {
    Limit limit = own == null ? defaults : own;
    if (limit.unlimited()) {
      return 0;
    }
    TokenBucket b = buckets.get(key);
    if (b == null || !b.limit().equals(limit)) {
      b = bucketFor(key, limit);
    }
    return b.take();
  }

  private TokenBucket bucketFor(String key, Limit limit) {
    if (buckets.size() >= maxBuckets) {
      sweep();
      if (buckets.size() >= maxBuckets && !buckets.containsKey(key)) {
        return buckets.computeIfAbsent(OVERFLOW, k -> new TokenBucket(defaults, nanoClock));
      }
    }
    // a key whose limit changed (key file reloaded) starts a fresh bucket with the new shape
    return buckets.compute(key, (k, old) -> old != null && old.limit().equals(limit) ? old
        : new TokenBucket(limit, nanoClock));
  }

  private void sweep() {
    long now = nanoClock.getAsLong();
    long last = lastSweep.get();
    if (now - last >= SWEEP_EVERY_NANOS && lastSweep.compareAndSet(last, now)) {
      buckets.entrySet().removeIf(e -> e.getValue().idle());
    }
  }

  /** True when the default limit is none (a caller without its own limit, e.g. an anonymous one, is never limited). */
  public boolean unlimited() {
    return defaults.unlimited();
  }

  /** Buckets held now (for tests and metrics). */
  public int size() {
    return buckets.size();
  }
}
