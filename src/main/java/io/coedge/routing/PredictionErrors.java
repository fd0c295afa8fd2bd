package io.coedge.routing;

import java.util.Arrays;

/**
 * The cost model's recent relative errors, |predicted − observed| / observed, for local and remote answers:
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
    rings[k][(int) (counts[k]++ % SIZE)] = Math.abs(predictedUs - observedUs) / observedUs;
  }

  /** Median relative error of the recent remote (or local) predictions; NaN when there are none. */
  public synchronized double median(boolean remote) {
    int k = remote ? 1 : 0;
    int n = (int) Math.min(counts[k], SIZE);
    if (n == 0) {
      return Double.NaN;
    }
    double[] copy = Arrays.copyOf(rings[k], n);
    Arrays.sort(copy);
    return n % 2 == 1 ? copy[n / 2] : (copy[n / 2 - 1] + copy[n / 2]) / 2;
  }

  /** Forgets everything (between benchmark phases). */
  public synchronized void reset() {
    counts[0] = 0;
    counts[1] = 0;
  }
}
