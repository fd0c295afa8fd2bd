package io.coedge.inference;

/**
 * Request latencies in fixed log-scale buckets (four per power of two, from 1 µs to about 19 hours), so a
 * quantile costs no allocation and no sample list: the answer is the upper bound of the bucket holding it, at
 * most 19 % above the true value. Not thread-safe: {@link ModelStatistics} guards it.
 */
final class LatencyHistogram {

  private static final int PER_OCTAVE = 4;
  static final int BUCKETS = 36 * PER_OCTAVE;
  private final long[] counts = new long[BUCKETS];
  private long total;

  void record(long nanos) {
    counts[bucket(Math.max(1, nanos / 1000))]++;
    total++;
  }

  /** The {@code q} quantile (0-1) in µs, 0 before any sample. */
  double quantileUs(double q) {
    if (total == 0) {
      return 0;
    }
    long rank = (long) Math.ceil(q * total);
    long seen = 0;
    for (int i = 0; i < BUCKETS; i++) {
      seen += counts[i];
      if (seen >= rank) {
        return upperUs(i);
      }
    }
    return upperUs(BUCKETS - 1);
  }

  static int bucket(long us) {
    double b = Math.floor(Math.log(us) / Math.log(2) * PER_OCTAVE);
    return (int) Math.min(BUCKETS - 1, Math.max(0, b));
  }

  static double upperUs(int bucket) {
    return Math.pow(2, (bucket + 1) / (double) PER_OCTAVE);
  }
}
