package io.coedge.bench;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Open-loop load generator: one run at a fixed arrival rate, one JSON line on stdout.
 *
 * <pre>LoadGen --url http://127.0.0.1:8080/v2/models/sensor-anomaly/infer --body sensor --rate 500
 *         [--duration 10] [--warmup 3] [--max-in-flight 256] [--timeout-ms 5000] [--event-loops 1]
 *         [--pool 256] [--server-pid PID] [--json-length N (with --body FILE, binary extension)]
 *         [--prewarm S [--prewarm-rate R]] [--header NAME:VALUE]...
 *         [--https CA_FILE [--client-cert FILE --client-key FILE] [--h2 [--h2-connections N]]]</pre>
 */
public final class LoadGen {

  static final String USAGE = "--url URL --body sensor|mlp|frame|FILE --rate R [--duration S] [--warmup S]"
      + " [--max-in-flight N] [--timeout-ms MS] [--event-loops N] [--pool N] [--server-pid PID] [--json-length N]"
      + " [--prewarm S] [--header NAME:VALUE]... " + Transport.USAGE;

  /** Options every load-running tool shares ({@code --header} may be repeated; {@code --h2} is a flag). */
  static final Set<String> LOAD_OPTIONS = union(Set.of("url", "body", "rate", "duration", "warmup",
      "max-in-flight", "timeout-ms", "event-loops", "pool", "server-pid", "json-length", "prewarm", "header"),
      Transport.OPTIONS);

  private LoadGen() {
  }

  public static void main(String[] args) {
    BenchArgs.run("LoadGen", USAGE + " [--prewarm-rate R]", () -> {
      Set<String> allowed = new HashSet<>(LOAD_OPTIONS);
      allowed.add("prewarm-rate");
      BenchArgs a = new BenchArgs(args, allowed, Transport.FLAGS);
      LoadSpec spec = spec(a, a.number("rate", Double.NaN, 0.1, 1_000_000), 10, 3);
      long pid = a.integer("server-pid", 0, 0, Integer.MAX_VALUE);
      try (LoadClient client = client(a)) {
        double prewarm = a.number("prewarm", 0, 0, 120);
        if (prewarm > 0) {
          // JIT warm-up of both JVMs at a rate high enough to compile the request path; not reported. Without it a
          // low-rate run measures interpreted Netty/Vert.x code on both sides (milliseconds, not microseconds).
          client.run(spec.withRate(a.number("prewarm-rate", spec.rate(), 0.1, 1_000_000))
              .withTimes(prewarm, 0), pid);
        }
        System.out.println(client.describe(client.run(spec, pid).toJson()).encode());
      }
    });
  }

  static LoadSpec spec(BenchArgs a, double rate, double defaultDuration, double defaultWarmup) throws java.io.IOException {
    if (Double.isNaN(rate)) {
      throw new IllegalArgumentException("--rate is required");
    }
    int pool = a.integer("pool", LoadClient.DEFAULT_POOL, 1, 10_000);
    int cap = a.integer("max-in-flight", pool, 1, 100_000);
    if (cap > pool) {
      // Requests beyond the pool would wait inside the client: still measured, but hidden queueing we'd rather see.
      System.err.println("LoadGen: --max-in-flight " + cap + " > --pool " + pool + "; the excess queues in the client");
    }
    return new LoadSpec(URI.create(a.string("url", null)),
        Payload.of(a.string("body", null), a.integer("json-length", -1, -1, Integer.MAX_VALUE)), rate,
        a.number("duration", defaultDuration, 0.1, 600), a.number("warmup", defaultWarmup, 0, 600), cap,
        (long) a.number("timeout-ms", 5_000, 1, 600_000), headers(a));
  }

  static LoadClient client(BenchArgs a) {
    return new LoadClient(a.integer("event-loops", 1, 1, 64), a.integer("pool", LoadClient.DEFAULT_POOL, 1, 10_000),
        Transport.of(a, URI.create(a.string("url", null))));
  }

  /** {@code --header NAME:VALUE}, repeatable. A bad one is named by its name only: the value may be a key. */
  static List<Map.Entry<String, String>> headers(BenchArgs a) {
    List<Map.Entry<String, String>> out = new ArrayList<>();
    for (String h : a.all("header")) {
      int colon = h.indexOf(':');
      String name = colon < 0 ? h : h.substring(0, colon).trim();
      if (colon < 1 || !name.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
        throw new IllegalArgumentException("--header " + (colon < 0 ? "without ':'" : "'" + name + "'")
            + ": allowed NAME:VALUE with NAME an HTTP token");
      }
      out.add(Map.entry(name, h.substring(colon + 1).trim()));
    }
    return out;
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> all = new HashSet<>(a);
    all.addAll(b);
    return Set.copyOf(all);
  }
}
