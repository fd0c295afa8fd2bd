package io.coedge.bench;

import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * The best rate any HTTP server can reach for a model on this machine, from two figures measured in the same run
 * on the same cores:
 * <ul>
 *   <li>compute per sample {@code c = cores / best}, where {@code best} is in-process ONNX Runtime's samples/s at
 *       its best batch size (all cores busy computing, no HTTP);</li>
 *   <li>HTTP per request {@code h = cores / trivial}, where {@code trivial} is the req/s of a server that does no
 *       compute at all (TrivialServer) at the same concurrency and with the same body, generator included (all
 *       cores busy with the server, the client and the kernel's loopback work).</li>
 * </ul>
 * A server that must do both for each one-sample request spends {@code c + h} core-seconds on it, so it reaches at
 * most {@code cores / (c + h)} req/s, which is {@code c / (c + h)} of the in-process best: the ceiling ratio. The
 * gateway's fraction of the ceiling is its req/s over that maximum. Optimistic on purpose (an upper bound): the
 * best batch's compute per sample, a trivial server that parses nothing it does not have to.
 *
 * <pre>Ceiling --best SAMPLES_PER_S --trivial REQ_PER_S [--gateway REQ_PER_S] [--cores N]</pre>
 */
record Ceiling(int cores, double computeUs, double httpUs) {

  static final String USAGE = "--best SAMPLES_PER_S --trivial REQ_PER_S [--gateway REQ_PER_S] [--cores N]";

  Ceiling {
    if (cores < 1 || !(computeUs > 0) || !(httpUs > 0) || Double.isInfinite(computeUs + httpUs)) {
      throw new IllegalArgumentException("cores " + cores + ", compute " + computeUs + " µs, HTTP " + httpUs
          + " µs per request: allowed cores >= 1 and finite times > 0");
    }
  }

  /** From the two measured rates; each must be a positive number. */
  static Ceiling of(int cores, double bestSamplesPerS, double trivialRps) {
    if (!(bestSamplesPerS > 0) || !(trivialRps > 0)) {
      throw new IllegalArgumentException("--best " + bestSamplesPerS + " --trivial " + trivialRps
          + ": both must be measured rates > 0");
    }
    return new Ceiling(cores, cores * 1e6 / bestSamplesPerS, cores * 1e6 / trivialRps);
  }

  /** The most requests per second a server doing both the compute and the HTTP work can answer. */
  double maxRps() {
    return cores * 1e6 / (computeUs + httpUs);
  }

  /** {@link #maxRps()} over the in-process best: the highest ratio to in-process any HTTP server can show. */
  double ratio() {
    return computeUs / (computeUs + httpUs);
  }

  /** How much of the ceiling a server's measured rate reaches. */
  double fractionOf(double rps) {
    return rps / maxRps();
  }

  public static void main(String[] args) {
    BenchArgs.run("Ceiling", USAGE, () -> {
      BenchArgs a = new BenchArgs(args, Set.of("best", "trivial", "gateway", "cores"));
      Ceiling c = of(a.integer("cores", Runtime.getRuntime().availableProcessors(), 1, 1024),
          a.number("best", Double.NaN, 0, Double.MAX_VALUE), a.number("trivial", Double.NaN, 0, Double.MAX_VALUE));
      JsonObject out = new JsonObject().put("tool", "Ceiling").put("cores", c.cores())
          .put("c_us", round(c.computeUs(), 1)).put("h_us", round(c.httpUs(), 1)).put("max_rps", Math.round(c.maxRps()))
          .put("ceiling_ratio", round(c.ratio(), 3));
      if (a.has("gateway")) {
        out.put("of_ceiling", round(c.fractionOf(a.number("gateway", 0, 0, Double.MAX_VALUE)), 2));
      }
      System.out.println(out.encode());
    });
  }

  private static double round(double v, int digits) {
    double f = Math.pow(10, digits);
    return Math.round(v * f) / f;
  }
}
