package io.coedge.scaling;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Requests per second per model over the last {@link #WINDOW_MS} ms, in one-second buckets: what this node
 * publishes as its arrivals and its shed requests. Thread-safe; {@link #mark} is cheap enough for every request.
 */
public final class RateMeter {

  static final long BUCKET_MS = 1_000;
  static final int BUCKETS = 5;
  static final long WINDOW_MS = BUCKET_MS * BUCKETS;

  private final LongSupplier clock;
  private final long start;
  private final Map<String, Buckets> models = new ConcurrentHashMap<>();

  public RateMeter(LongSupplier clockMs) {
    this.clock = clockMs;
    this.start = clockMs.getAsLong();
  }

  /** One request for {@code model} now. */
  public void mark(String model) {
    models.computeIfAbsent(model, m -> new Buckets()).add(clock.getAsLong() / BUCKET_MS);
  }

  /**
   * Requests per second for {@code model} over the last {@link #BUCKETS} whole seconds (over the whole seconds since
   * start while there are fewer); the current, partial second is left out.
   */
  public double perSecond(String model) {
    Buckets b = models.get(model);
    if (b == null) {
      return 0;
    }
    long nowSec = clock.getAsLong() / BUCKET_MS;
    long seconds = Math.max(1, Math.min(BUCKETS, nowSec - start / BUCKET_MS));
    return b.sum(nowSec) / (double) seconds;
  }

  private static final class Buckets {
    private final long[] second = new long[BUCKETS + 1];
    private final long[] count = new long[BUCKETS + 1];

    synchronized void add(long sec) {
      int i = (int) (sec % second.length);
      if (second[i] != sec) {
        second[i] = sec;
        count[i] = 0;
      }
      count[i]++;
    }

    /** The counts of the {@link #BUCKETS} whole seconds before {@code nowSec}. */
    synchronized long sum(long nowSec) {
      long total = 0;
      for (int i = 0; i < second.length; i++) {
        if (second[i] >= nowSec - BUCKETS && second[i] < nowSec) {
          total += count[i];
        }
      }
      return total;
    }
  }
}
