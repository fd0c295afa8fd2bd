package io.coedge.routing;

import java.util.Arrays;

/**
 * The cost model's recent relative errors, (predicted − observed) / observed, for local and remote answers:
 * the last {@value #SIZE} of each, so a benchmark phase can read its own median.
 */
public final class PredictionErrors {

  static final int SIZE = 4096;

  private final double[][] rings = new double[2][SIZE];
  private final long[] counts = new long[2];

  /** Records one prediction; ignored when either figure is not positive. */
  public synchronized void add(boolean remote, double predictedUs, double observedUs) {
    if (predictedUs <= 0 || observedUs <= 0) {
      return;
    }
    int k = remote ? 1 : 0;
    rings[k][(int) (counts[k]++ % SIZE)] = (predictedUs - observedUs) / observedUs;
  }

  /** Median relative error (absolute) of the recent remote (or local) predictions; NaN when there are none. */
  public double median(boolean remote) {
    return median(remote, true);
  }

  /** Median of (predicted − observed) / observed: above 0 the model is pessimistic, below optimistic. */
  public double bias(boolean remote) {
    return median(remote, false);
  }

  private synchronized double median(boolean remote, boolean absolute) {
    int k = remote ? 1 : 0;
    int n = (int) Math.min(counts[k], SIZE);
    if (n == 0) {
      return Double.NaN;
    }
    double[] copy = Arrays.copyOf(rings[k], n);
    if (absolute) {
      for (int i = 0; i < n; i++) {
        copy[i] = Math.abs(copy[i]);
      }
    }
    Arrays.sort(copy);
    return n % 2 == 1 ? copy[n / 2] : (copy[n / 2 - 1] + copy[n / 2]) / 2;
  }

  /** Forgets everything (between benchmark phases). */
  public synchronized void reset() {
    counts[0] = 0;
    counts[1] = 0;
  }
}
