package io.coedge.bench;

import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.Set;

/**
 * Finds the highest arrival rate a server sustains (p99 ≤ limit and fewer errors than allowed) by
 * growing the rate geometrically until a step fails, then bisecting between the last pass and the first
 * failure. A failed step is run once more before it counts ({@code --retries}); a failure during which other
 * processes used more than {@code --max-other-cores} is "disturbed" and repeated. Every step is a bounded
 * open-loop run; one JSON line per attempt and a summary line on stdout.
 */
public final class FindMaxRate {

  static final String USAGE = LoadGen.USAGE + " [--start R] [--max-rate R] [--p99-ms 50] [--max-errors 0.01]"
      + " [--precision 0.05] [--growth 1.5] [--max-steps 12] [--pause-ms 1000] [--retries 1]"
      + " [--max-other-cores 0.25]";

  /** Disturbed attempts of one step before its last result counts anyway (a search must end). */
  private static final int MAX_DISTURBED = 4;

  private FindMaxRate() {
  }

  public static void main(String[] args) {
    BenchArgs.run("FindMaxRate", USAGE, () -> {
      Set<String> allowed = new HashSet<>(LoadGen.LOAD_OPTIONS);
      allowed.addAll(Set.of("start", "max-rate", "p99-ms", "max-errors", "precision", "growth", "max-steps",
          "pause-ms", "retries", "max-other-cores"));
      BenchArgs a = new BenchArgs(args, allowed, Transport.FLAGS);
      double start = a.number("start", 100, 0.5, 1_000_000);
      // Shorter steps than a single LoadGen run: the search makes up to max-steps of them.
      LoadSpec base = LoadGen.spec(a, start, 8, 2);
      Search search = new Search(start, a.number("max-rate", 1_000_000, 1, 1_000_000),
          a.number("growth", 1.5, 1.05, 10), a.number("precision", 0.05, 0.005, 1));
      double p99Limit = a.number("p99-ms", 50, 0.1, 60_000);
      double maxErrors = a.number("max-errors", 0.01, 0, 1);
      int maxSteps = a.integer("max-steps", 12, 1, 50);
      long pid = a.integer("server-pid", 0, 0, Integer.MAX_VALUE);
      long pauseMs = a.integer("pause-ms", 1000, 0, 60_000);
      int retries = a.integer("retries", 1, 0, 5);
      double maxOther = a.number("max-other-cores", 0.25, 0, 64);
      try (LoadClient client = LoadGen.client(a)) {
        double prewarm = a.number("prewarm", 5, 0, 120);
        if (prewarm > 0) { // JIT and connection warm-up in the server, not judged
          client.run(base.withTimes(prewarm, 0), pid);
        }
        LoadResult best = null;
        for (int step = 1; step <= maxSteps && !search.done(); step++) {
          boolean ok = false;
          int attempts = 0;
          int disturbed = 0;
          // The cores are shared: a GC pause in either JVM can fail one step, so a failed rate is tried again
          // before it counts as the limit; a failure while third parties used the cores is not counted at all.
          while (!ok && attempts <= retries && disturbed <= MAX_DISTURBED) {
            Thread.sleep(pauseMs); // let a queue left by an overloaded step drain before the next
            LoadResult r = client.run(base.withRate(search.next()), pid);
            ok = r.sustained(p99Limit, maxErrors);
            boolean thirdParty = !ok && r.otherCores() > maxOther;
            if (thirdParty) {
              disturbed++;
            } else {
              attempts++;
            }
            System.out.println(client.describe(r.toJson()).put("step", step).put("sustained", ok)
                .put("disturbed", thirdParty).encode());
            if (ok) {
              best = r;
            }
          }
          search.record(ok);
        }
        System.out.println(client.describe(new JsonObject().put("summary", "find_max_rate"))
            .put("url", base.url().toString()).put("payload", base.payload().kind()).put("p99_limit_ms", p99Limit)
            .put("max_error_ratio", maxErrors)
            .put("max_sustained_rps", search.lastPass()).put("first_failing_rps", search.firstFail())
            .put("achieved_rps_at_max", best == null ? 0 : Math.round(best.achievedRps() * 10) / 10.0)
            .put("p99_ms_at_max", best == null ? -1 : best.p99Ms())
            .put("server_cpu_cores_at_max", best == null ? -1 : best.serverCores())
            .put("gen_cpu_cores_at_max", best == null ? -1 : best.generatorCores()).encode());
      }
    });
  }
}
