package io.coedge.bench;

import java.util.Arrays;

/**
 * Exact percentiles of a bounded set of samples (nanoseconds). Every latency of a run is kept, so there is
 * no bucketing error; the run's size is capped by {@link LoadSpec#MAX_REQUESTS}.
 */
final class Percentiles {

  private final long[] sorted;

  Percentiles(long[] samples, int count) {
    sorted = Arrays.copyOf(samples, count);
    Arrays.sort(sorted);
  }

  int count() {
    return sorted.length;
  }

  /** Nearest-rank percentile in milliseconds, NaN when there are no samples. */
  double millis(double quantile) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(quantile * sorted.length);
    return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] / 1e6;
  }

  double maxMillis() {
    return sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1] / 1e6;
  }
}
