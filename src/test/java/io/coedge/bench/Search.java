package io.coedge.bench;

/**
 * The rate search of {@link FindMaxRate}, apart from any I/O: grow by a factor until the first failure,
 * then bisect until the passing and failing rates are within {@code precision} of each other.
 */
final class Search {

  private final double maxRate;
  private final double growth;
  private final double precision;
  private double current;
  private double lastPass;
  private double firstFail = Double.POSITIVE_INFINITY;

  Search(double start, double maxRate, double growth, double precision) {
    this.current = Math.min(start, maxRate);
    this.maxRate = maxRate;
    this.growth = growth;
    this.precision = precision;
  }

  double next() {
    return current;
  }

  void record(boolean sustained) {
    if (sustained) {
      lastPass = current;
    } else {
      firstFail = current;
    }
    if (firstFail == Double.POSITIVE_INFINITY) {
      current = Math.min(maxRate, current * growth);
    } else if (lastPass == 0) {
      current = current / 2; // even the first rate failed: come down until something passes
    } else {
      current = (lastPass + firstFail) / 2;
    }
    current = Math.round(current * 10) / 10.0;
  }

  boolean done() {
    boolean atCeiling = lastPass >= maxRate;
    boolean bracketed = lastPass > 0 && firstFail <= lastPass * (1 + precision);
    return atCeiling || bracketed || current < 0.5;
  }

  double lastPass() {
    return lastPass;
  }

  double firstFail() {
    return firstFail == Double.POSITIVE_INFINITY ? -1 : firstFail;
  }
}
