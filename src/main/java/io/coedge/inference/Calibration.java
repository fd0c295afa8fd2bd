package io.coedge.inference;

/**
 * What one model version's local answers take beyond the queueing estimate ({@link ModelLoad#queueingUs()}),
 * learnt from every local answer, in two parts. {@code pathUs}: what an answer admitted to an idle queue takes
 * beyond its service time — the path's fixed cost (validation, the hand-off to a worker and back), most of the
 * latency of a ~10 µs model. {@code queueFactor}: observed ÷ estimated for answers admitted behind others, less
 * that fixed cost — what the M/M/k shape misses under load (batches forming, workers sharing the cores with the
 * event loops; measured at −10 % to −27 % on a busy 2-core machine). Both are running medians ({@link Median}):
 * one answer delayed by a collector pause must not make the next hundred look slow (a mean did: +35 % to +140 %
 * at one client). Written from event loops without a lock: a lost update only delays it by one answer.
 */
final class Calibration {

  private final Median path = new Median(0);
  private final Median factor = new Median(1);

  /**
   * One local answer: {@code admitted} the snapshot it was admitted with, {@code observedUs} measured from there.
   */
  void observed(ModelLoad admitted, double observedUs) {
    double q = admitted.queueingUs();
    if (q <= 0 || observedUs <= 0) {
      return;
    }
    if (admitted.idle()) {
      path.add(observedUs - q);
    } else {
      factor.add(Math.max(0, observedUs - path.value()) / q);
    }
  }

  /** {@code queueingUs} corrected by what was learnt: the path's cost, and the factor when others are ahead. */
  double estimateUs(ModelLoad load, double queueingUs) {
    return load.idle() ? queueingUs + path.value() : queueingUs * factor.value() + path.value();
  }

  double pathUs() {
    return path.value();
  }

  double queueFactor() {
    return factor.value();
  }

  /**
   * A running median: each sample moves it a step towards itself, the step a quarter of the recent spread (an
   * EWMA of the absolute deviation over about 16 samples), so it settles within a few dozen samples and a rare
   * outlier moves it one step only.
   */
  static final class Median {

    static final double ALPHA = 1.0 / 16;

    private volatile double value;
    private volatile double spread;
    private volatile boolean seeded;

    Median(double initial) {
      value = initial;
    }

    void add(double sample) {
      if (!seeded) {
        value = sample;
        spread = Math.abs(sample) / 2;
        seeded = true;
        return;
      }
      double v = value;
      double off = sample - v;
      double s = spread + ALPHA * (Math.abs(off) - spread);
      spread = s;
      value = v + Math.signum(off) * Math.min(Math.abs(off), ALPHA * 4 * s);
    }

    double value() {
      return value;
    }
  }
}
