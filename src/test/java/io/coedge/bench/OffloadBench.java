package io.coedge.bench;

import io.coedge.bench.OffloadLoad.Outcome;
import io.coedge.routing.OffloadFixture;
import io.coedge.routing.PredictionErrors;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Issue 4's measurement: the offload scenario (an edge of capacity C, two clouds behind 20 ms / 50 Mbit/s WAN
 * emulators, a 100 ms objective, open-loop load) at 1, 2, 3 and 5 × C, for the cost model (local-first) and two
 * baselines on the same machine: local-only ({@code offload: never}) and a static threshold (offload when the
 * local queue is longer than a fixed length). Mode {@code no-objective} runs the cost model at 3 × C on models
 * without a latency objective ({@code timeout-us: 0}): local-first then sends each request where its predicted
 * latency is lowest. Prints one JSON line per phase, then a Markdown table.
 *
 * <p>Usage: {@code OffloadBench [seconds-per-phase=6] [static-threshold=4] [loads=1,2,3,5]
 * [modes=cost-model,local-only,static-threshold,no-objective]}
 */
public final class OffloadBench {

  static final double PRICE_PER_REQUEST = 0.0001;
  static final double PRICE_PER_COMPUTE_MS = 0.00005;
  static final long SLO_US = 100_000;

  private record Row(String mode, double timesC, double rate, int requests, double p50, double p99, double errors,
      double offloaded, double cost, double remoteError, double localError, double remoteBias, double localBias) {
  }

  private OffloadBench() {
  }

  public static void main(String[] args) throws Exception {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 6;
    int threshold = args.length > 1 ? Integer.parseInt(args[1]) : 4;
    String loads = args.length > 2 ? args[2] : "1,2,3,5";
    List<Row> rows = new ArrayList<>();
    Map<String, String> prices = Map.of("offload.price-per-request", String.valueOf(PRICE_PER_REQUEST),
        "offload.price-per-compute-ms", String.valueOf(PRICE_PER_COMPUTE_MS));
    String modes = args.length > 3 ? args[3] : "cost-model,local-only,static-threshold,no-objective";
    if (modes.contains("cost-model")) {
      rows.addAll(mode("cost-model", null, prices, seconds, loads, SLO_US));
    }
    if (modes.contains("local-only")) {
      rows.addAll(mode("local-only", "never", prices, seconds, loads, SLO_US));
    }
    if (modes.contains("static-threshold")) {
      Map<String, String> stat = new java.util.HashMap<>(prices);
      stat.put("offload.static-threshold", String.valueOf(threshold));
      rows.addAll(mode("static-threshold-" + threshold, null, stat, seconds, loads, SLO_US));
    }
    if (modes.contains("no-objective")) {
      rows.addAll(mode("no-objective", null, prices, seconds, "3", 0));
    }
    System.out.println();
    System.out.println("| mode | load | req/s | requests | p50 ms | p99 ms | errors | offloaded | cloud cost"
        + " | cost-model median error, remote / local | median bias, remote / local |");
    System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
    for (Row r : rows) {
      System.out.println(String.format(Locale.ROOT,
          "| %s | %.0f C | %.0f | %d | %.1f | %.1f | %.2f %% | %.1f %% | %.4f | %s / %s | %s / %s |", r.mode(),
          r.timesC(), r.rate(), r.requests(), r.p50() / 1000, r.p99() / 1000, 100 * r.errors(), 100 * r.offloaded(),
          r.cost(), pct(r.remoteError()), pct(r.localError()), pct(r.remoteBias()), pct(r.localBias())));
    }
  }

  private static String pct(double v) {
    return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.1f %%", 100 * v);
  }

  /** {@code sloUs}: the edge models' latency objective, 0 = none. */
  private static List<Row> mode(String name, String offload, Map<String, String> edgeConfig, double seconds,
      String loads, long sloUs) throws Exception {
    List<Row> rows = new ArrayList<>();
    try (OffloadFixture fx = new OffloadFixture("bench-offload-" + ProcessHandle.current().pid() + "-" + name,
        10_000, sloUs, 20, 50, edgeConfig); OffloadLoad load = new OffloadLoad(256)) {
      int port = fx.edge.port();
      String path = OffloadFixture.path(OffloadFixture.MODEL);
      fx.warmUp(load);
      // JIT warm-up at the heaviest offload rate, unreported, so no mode pays for a cold JVM
      load.run(port, path, OffloadFixture.body(OffloadFixture.CONFIDENT, null), OffloadFixture.json(),
          3 * fx.capacity(), 4);
      double c = fx.capacity();
      for (String k : loads.split(",")) {
        double times = Double.parseDouble(k);
        PredictionErrors errors = fx.edge.router().predictionErrors();
        errors.reset();
        double costBefore = fx.cost();
        List<Outcome> outs = load.run(port, path, OffloadFixture.body(OffloadFixture.CONFIDENT, offload),
            OffloadFixture.json(), times * c, seconds);
        List<Long> lat = outs.stream().map(Outcome::latencyUs).toList();
        Row r = new Row(name, times, times * c, outs.size(), OffloadLoad.percentile(lat, 50),
            OffloadLoad.percentile(lat, 99), (double) outs.stream().filter(o -> !o.ok()).count() / outs.size(),
            (double) outs.stream().filter(o -> "offload".equals(o.route())).count() / outs.size(),
            fx.cost() - costBefore, errors.median(true), errors.median(false), errors.bias(true), errors.bias(false));
        System.out.println(String.format(Locale.ROOT, "{\"mode\":\"%s\",\"capacity\":%.1f,\"times_c\":%.0f,"
            + "\"rate\":%.1f,\"requests\":%d,\"p50_ms\":%.2f,\"p99_ms\":%.2f,\"error_rate\":%.4f,\"offloaded\":%.4f,"
            + "\"cost\":%.5f,\"remote_error_median\":%.4f,\"local_error_median\":%.4f,\"remote_bias_median\":%.4f,"
            + "\"local_bias_median\":%.4f}", name, c, times, r.rate(), r.requests(), r.p50() / 1000, r.p99() / 1000,
            r.errors(), r.offloaded(), r.cost(), r.remoteError(), r.localError(), r.remoteBias(), r.localBias()));
        rows.add(r);
        Thread.sleep(1000);
      }
    }
    return rows;
  }
}
