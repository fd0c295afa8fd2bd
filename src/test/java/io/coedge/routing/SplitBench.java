package io.coedge.routing;

import io.coedge.Http;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * bench/split.sh: the split CNN on an edge (emulated {@code slower} x slower hardware) and a cloud node behind a WAN
 * emulator (10 ms RTT), at several bandwidths: median end-to-end latency and bytes the edge uploads per request for
 * all-local, all-remote, each fixed split and Coedge's choice, one request at a time, in one run. Prints a
 * markdown table and one JSON line per cell.
 *
 * <p>Arguments: [requests per cell = 30] [bandwidths = 1,10,50,100] [slower = 8].
 */
public final class SplitBench {

  private static final List<String> FIXED = List.of("local", "remote", "split@b0", "split@b1", "split@b2");

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 30;
    double[] mbps = Arrays.stream((args.length > 1 ? args[1] : "1,10,50,100").split(","))
        .mapToDouble(Double::parseDouble).toArray();
    double slower = args.length > 2 ? Double.parseDouble(args[2]) : 8;
    try (SplitFixture fx = new SplitFixture("bench-split", slower, 0, 10, mbps[0], FIXED);
        Http http = new Http(fx.edge.port())) {
      long seed = 1;
      for (int i = 0; i < 20; i++) { // JIT and every plan's estimates
        for (String p : FIXED) {
          fx.infer(http, SplitFixture.pinned(p), seed++, null);
        }
      }
      System.out.println("| Mbit/s | plan | p50 ms | KB up / request | Coedge's plans |");
      System.out.println("|---|---|---|---|---|");
      for (double m : mbps) {
        fx.link.rate(m);
        for (int i = 0; i < n; i++) { // the link estimates follow the changed link
          fx.infer(http, SplitFixture.MODEL, seed++, null);
        }
        Map<String, double[]> cells = new LinkedHashMap<>();
        Map<String, Integer> chosen = new LinkedHashMap<>();
        for (String p : FIXED) {
          cells.put(p, cell(fx, http, SplitFixture.pinned(p), n, seed, null));
          seed += n;
        }
        cells.put("coedge", cell(fx, http, SplitFixture.MODEL, n, seed, chosen));
        seed += n;
        for (var c : cells.entrySet()) {
          System.out.printf("| %.0f | %s | %.1f | %.1f | %s |%n", m, c.getKey(), c.getValue()[0], c.getValue()[1],
              c.getKey().equals("coedge") ? chosen : "");
          System.out.printf("{\"mbps\":%.0f,\"plan\":\"%s\",\"p50Ms\":%.2f,\"kbUp\":%.2f}%n", m, c.getKey(),
              c.getValue()[0], c.getValue()[1]);
        }
      }
    }
    System.exit(0);
  }

  /** Median latency (ms) and KB uploaded per request over {@code n} sequential requests. */
  private static double[] cell(SplitFixture fx, Http http, String model, int n, long seed,
      Map<String, Integer> chosen) {
    List<Double> ms = new ArrayList<>();
    long up0 = fx.link.bytesUp();
    for (int i = 0; i < n; i++) {
      long t0 = System.nanoTime();
      HttpResponse<Buffer> r = fx.infer(http, model, seed + i, null);
      ms.add((System.nanoTime() - t0) / 1e6);
      if (r.statusCode() != 200) {
        throw new IllegalStateException(model + ": " + r.statusCode() + " " + r.bodyAsString());
      }
      if (chosen != null) {
        chosen.merge(r.getHeader("coedge-route"), 1, Integer::sum);
      }
    }
    ms.sort(Double::compare);
    return new double[] {ms.get(n / 2), (fx.link.bytesUp() - up0) / 1024.0 / n};
  }
}
