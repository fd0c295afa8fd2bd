package io.coedge.scaling;

/**
 * How many cloud nodes a model's demand needs (DESIGN §12): each node is {@code k} servers (its workers) of
 * per-request service time {@code s}; the offered load {@code a = λ·s} erlangs must keep utilisation
 * {@code a / (c·k)} under the target, and, with an objective, the M/M/n response time (Erlang C waiting time plus
 * one batch's service time) within it. Pure arithmetic.
 */
public final class Sizing {

  private Sizing() {
  }

  /** Erlang C: the probability an arrival waits, for {@code n} servers and {@code a} erlangs ({@code a < n}). */
  static double erlangC(int n, double a) {
    if (a <= 0) {
      return 0;
    }
    if (a >= n) {
      return 1;
    }
    double b = 1; // Erlang B by its stable recurrence
    for (int i = 1; i <= n; i++) {
      b = a * b / (i + a * b);
    }
    return n * b / (n - a * (1 - b));
  }

  /**
   * Expected response time, µs, of {@code nodes} nodes of {@code workers} servers each: the Erlang C wait for
   * per-request service {@code serviceUs} plus {@code batchUs} (a request's own batch); infinite when saturated.
   */
  public static double responseUs(int nodes, int workers, double arrivalsPerS, double serviceUs, double batchUs) {
    int n = nodes * Math.max(1, workers);
    double a = arrivalsPerS * serviceUs / 1e6;
    if (n == 0 || a >= n) {
      return arrivalsPerS > 0 ? Double.POSITIVE_INFINITY : batchUs;
    }
    double waitUs = erlangC(n, a) * serviceUs / (n - a);
    return waitUs + batchUs;
  }

  /**
   * The fewest nodes (0 to {@code maxNodes}) for which utilisation stays at most {@code target} and, when
   * {@code objectiveUs > 0}, the expected response time is within it; {@code maxNodes} when none is enough.
   */
  public static int nodesFor(double arrivalsPerS, double serviceUs, int workers, double batchUs, long objectiveUs,
      double target, int maxNodes) {
    if (arrivalsPerS <= 0 || serviceUs <= 0) {
      return 0;
    }
    int k = Math.max(1, workers);
    double a = arrivalsPerS * serviceUs / 1e6;
    int c = Math.max(1, (int) Math.ceil(a / (k * target) - 1e-9));
    for (; c < maxNodes; c++) {
      if (objectiveUs <= 0 || responseUs(c, k, arrivalsPerS, serviceUs, batchUs) <= objectiveUs) {
        return c;
      }
    }
    return maxNodes;
  }
}
