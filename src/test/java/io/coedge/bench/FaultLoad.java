package io.coedge.bench;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.net.PemTrustOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Open-loop load through one fault, for bench/faults.sh: sends {@code --rate} requests/s for {@code --seconds} to
 * 127.0.0.1:{@code --port} (run it in the edge's network namespace), runs {@code --fault} (a shell command, not waited
 * for) at {@code --fault-at} ms and {@code --heal} at {@code --heal-at} ms, then prints one JSON line: requests,
 * errors (non-200), cut (no answer at all, other than a refused connection), p99 before / during / after the fault,
 * the recovery time (from the heal until every later 250 ms window is error-free with a p99 within 2 × before + 20
 * ms), who served each phase, and where each phase's time went ({@link #timing}).
 *
 * <p>Usage: {@code FaultLoad --port P --model M --rate R --seconds S --timeout-us T [--offload prefer] --fault-at MS
 * --fault CMD --heal-at MS --heal CMD --label NAME [--ca PEM] [--api-key-file FILE] [--max-lifetime-s S]
 * [--late-margin-ms 50] [--trace FILE]}: with {@code --ca} over HTTPS trusting that CA, with {@code --api-key-file}
 * sending the key it holds as {@code X-API-Key}, with {@code --max-lifetime-s} opening new connections (new TLS
 * handshakes) at least that often; an answer more than the margin after its deadline counts as late; {@code --trace}
 * writes every request's timing to FILE.
 */
public final class FaultLoad {

  private static final double WINDOW_MS = 250;

  private FaultLoad() {
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> a = new TreeMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      a.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    int port = Integer.parseInt(a.get("port"));
    double rate = Double.parseDouble(a.getOrDefault("rate", "100"));
    double seconds = Double.parseDouble(a.getOrDefault("seconds", "20"));
    long faultAt = Long.parseLong(a.getOrDefault("fault-at", "5000"));
    long healAt = Long.parseLong(a.getOrDefault("heal-at", "10000"));
    String offload = a.getOrDefault("offload", "prefer");
    long timeoutUs = Long.parseLong(a.getOrDefault("timeout-us", "300000"));
    String body = "{\"parameters\":{\"offload\":\"" + offload + "\"" + (timeoutUs > 0 ? ",\"timeout\":" + timeoutUs : "")
        + "},\"inputs\":[{\"name\":\"features\",\"shape\":[1,8],\"datatype\":\"FP32\","
        + "\"data\":[298.1,308.6,1551,42.8,0,3.1,1,0]}]}";
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("content-type", "application/json");
    HttpClientOptions options = new HttpClientOptions();
    if (a.containsKey("ca")) {
      options.setSsl(true).setTrustOptions(new PemTrustOptions().addCertPath(a.get("ca")));
    }
    if (a.containsKey("api-key-file")) {
      headers.add("x-api-key", Files.readString(Path.of(a.get("api-key-file"))).strip());
    }
    List<OffloadLoad.Outcome> outs;
    try (OffloadLoad load = new OffloadLoad(256, options, Integer.parseInt(a.getOrDefault("max-lifetime-s", "0")))) {
      load.warmGenerator(port, headers, 8, 20);
      outs = load.run(port, "/v2/models/" + a.getOrDefault("model", "sensor-anomaly") + "/infer", Buffer.buffer(body),
          headers, rate, seconds,
          new OffloadLoad.At(faultAt, () -> exec(a.get("fault"))), new OffloadLoad.At(healAt, () -> exec(a.get("heal"))));
    }
    String summary = summary(a.getOrDefault("label", "fault"), outs, rate, faultAt, healAt);
    long lateMs = timeoutUs / 1000 + Long.parseLong(a.getOrDefault("late-margin-ms", "50"));
    System.out.println(summary.substring(0, summary.length() - 1) + "," + timing(outs, faultAt, healAt, lateMs)
        .substring(1));
    if (a.containsKey("trace")) {
      trace(Path.of(a.get("trace")), outs);
    }
  }

  /**
   * Where the time of each phase went (JSON fields): answers (or refusals) later than {@code lateMs} after
   * they were due, and the p99 of the generator's own delay (due to sent), of waiting for one of its connections, and of
   * the whole; and the slowest request of each phase with its parts, status and path.
   */
  static String timing(List<OffloadLoad.Outcome> outs, long faultAt, long healAt, long lateMs) {
    StringBuilder b = new StringBuilder("{\"late_ms\":" + lateMs + ",\"late\":"
        + count(outs, o -> o.latencyUs() > lateMs * 1000));
    String[] names = {"before", "during", "after"};
    double[][] bounds = {{0, faultAt}, {faultAt, healAt}, {healAt, Double.MAX_VALUE}};
    for (int i = 0; i < 3; i++) {
      List<OffloadLoad.Outcome> w = window(outs, bounds[i][0], bounds[i][1]);
      List<Long> lag = new ArrayList<>();
      List<Long> connect = new ArrayList<>();
      w.forEach(o -> {
        lag.add(o.lagUs());
        connect.add(o.connectUs());
      });
      OffloadLoad.Outcome slowest = w.stream().max(java.util.Comparator.comparingLong(OffloadLoad.Outcome::latencyUs))
          .orElse(null);
      b.append(String.format(Locale.ROOT, ",\"late_%s\":%d,\"p99_lag_ms_%s\":%.1f,\"p99_connect_ms_%s\":%.1f",
          names[i], count(w, o -> o.latencyUs() > lateMs * 1000), names[i], pct(lag), names[i], pct(connect)));
      b.append(",\"slowest_").append(names[i]).append("\":\"").append(slowest == null ? "" : describe(slowest))
          .append('"');
    }
    return b.append('}').toString();
  }

  private static double pct(List<Long> us) {
    return us.isEmpty() ? 0 : OffloadLoad.percentile(us, 99) / 1000;
  }

  private static String describe(OffloadLoad.Outcome o) {
    return String.format(Locale.ROOT, "due %.0f ms: %.1f ms (lag %.1f, connect %.1f) %d %s by %s path %s", o.dueMs(),
        o.latencyUs() / 1000.0, o.lagUs() / 1000.0, o.connectUs() / 1000.0, o.status(), o.route(), o.servedBy(),
        o.path());
  }

  /** Every request as a tab-separated line: due, latency, lag, connect (ms), status, route, served by, path, error. */
  private static void trace(Path file, List<OffloadLoad.Outcome> outs) throws IOException {
    StringBuilder b = new StringBuilder("due_ms\tlatency_ms\tlag_ms\tconnect_ms\tstatus\troute\tserved_by\tpath\terror\n");
    for (OffloadLoad.Outcome o : outs) {
      b.append(String.format(Locale.ROOT, "%.1f\t%.1f\t%.1f\t%.1f\t%d\t%s\t%s\t%s\t%s%n", o.dueMs(),
          o.latencyUs() / 1000.0, o.lagUs() / 1000.0, o.connectUs() / 1000.0, o.status(), o.route(), o.servedBy(),
          o.path(), o.error() == null ? "" : o.error().replaceAll("\\s+", " ")));
    }
    Files.writeString(file, b);
  }

  /**
   * Starts {@code command} with bash, output to this process's, on a thread of its own and without waiting: starting
   * a process took the sender 65-160 ms on a busy machine, and the requests due meanwhile counted it as latency.
   */
  private static void exec(String command) {
    if (command == null || command.isBlank()) {
      return;
    }
    new Thread(() -> {
      try {
        new ProcessBuilder("bash", "-c", command).inheritIO().start();
      } catch (IOException e) {
        System.err.println("fault command failed to start: " + e);
      }
    }, "fault-command").start();
  }

  static String summary(String label, List<OffloadLoad.Outcome> outs, double rate, long faultAt, long healAt) {
    List<OffloadLoad.Outcome> before = window(outs, 0, faultAt);
    List<OffloadLoad.Outcome> during = window(outs, faultAt, healAt);
    List<OffloadLoad.Outcome> after = window(outs, healAt, Double.MAX_VALUE);
    double p99Before = p99(before);
    long errors = count(outs, o -> !o.ok());
    long cut = count(outs, o -> o.status() == 0 && (o.error() == null || !o.error().contains("refused")));
    return String.format(Locale.ROOT, "{\"label\":\"%s\",\"rate\":%.1f,\"requests\":%d,\"errors\":%d,\"cut\":%d,"
        + "\"refused\":%d,\"errors_during\":%d,\"p99_before_ms\":%.1f,\"p99_during_ms\":%.1f,\"p99_after_ms\":%.1f,"
        + "\"recovery_ms\":%.0f,\"served_before\":%s,\"served_during\":%s,\"served_after\":%s,\"first_error\":\"%s\","
        + "\"errors_per_minute\":%s,\"auth_or_tls_errors\":%d,\"statuses\":%s}",
        label, rate, outs.size(), errors, cut, count(outs, o -> o.status() == 0) - cut,
        count(during, o -> !o.ok()), p99Before / 1000, p99(during) / 1000, p99(after) / 1000,
        recovery(outs, healAt, p99Before), served(before), served(during), served(after),
        outs.stream().filter(o -> !o.ok()).map(o -> o.status() + " " + o.error()).findFirst().orElse("")
            .replaceAll("[\"\\\\\\n]", " "), perMinute(outs), count(outs, FaultLoad::authOrTls),
        statuses(outs));
  }

  /** A refusal of the client's key (401/403) or a failed TLS handshake: what a bad key or certificate reload gives. */
  private static boolean authOrTls(OffloadLoad.Outcome o) {
    String e = String.valueOf(o.error()).toLowerCase(Locale.ROOT);
    return o.status() == 401 || o.status() == 403 || (o.status() == 0 && (e.contains("ssl") || e.contains("handshake")
        || e.contains("certificate")));
  }

  private static String statuses(List<OffloadLoad.Outcome> outs) {
    return countBy(outs, o -> String.valueOf(o.status()));
  }

  /** Errors in each minute of the run (a soak shows whether they cluster, e.g. at reloads). */
  private static String perMinute(List<OffloadLoad.Outcome> outs) {
    int minutes = outs.isEmpty() ? 0 : (int) (outs.get(outs.size() - 1).dueMs() / 60_000) + 1;
    long[] errors = new long[minutes];
    outs.stream().filter(o -> !o.ok()).forEach(o -> errors[(int) (o.dueMs() / 60_000)]++);
    return java.util.Arrays.toString(errors).replace(" ", "");
  }

  /** ms from {@code healAt} until every later window is error-free with a normal p99; -1 if never. */
  private static double recovery(List<OffloadLoad.Outcome> outs, long healAt, double p99BeforeUs) {
    double bound = 2 * p99BeforeUs + 20_000;
    double end = outs.isEmpty() ? 0 : outs.get(outs.size() - 1).dueMs();
    double recovered = -1;
    for (double t = end - WINDOW_MS; t >= healAt; t -= WINDOW_MS) {
      List<OffloadLoad.Outcome> w = window(outs, t, t + WINDOW_MS);
      if (w.stream().anyMatch(o -> !o.ok()) || p99(w) > bound) {
        break;
      }
      recovered = t;
    }
    return recovered < 0 ? -1 : Math.max(0, recovered - healAt);
  }

  private static String served(List<OffloadLoad.Outcome> outs) {
    return countBy(outs.stream().filter(OffloadLoad.Outcome::ok).toList(), o -> String.valueOf(o.servedBy()));
  }

  /** A JSON object: how many of {@code outs} have each value of {@code key}. */
  private static String countBy(List<OffloadLoad.Outcome> outs, java.util.function.Function<OffloadLoad.Outcome,
      String> key) {
    Map<String, Integer> by = new TreeMap<>();
    outs.forEach(o -> by.merge(key.apply(o), 1, Integer::sum));
    StringBuilder b = new StringBuilder("{");
    by.forEach((k, v) -> b.append(b.length() > 1 ? "," : "").append('"').append(k).append("\":").append(v));
    return b.append('}').toString();
  }

  private static List<OffloadLoad.Outcome> window(List<OffloadLoad.Outcome> outs, double from, double to) {
    return outs.stream().filter(o -> o.dueMs() >= from && o.dueMs() < to).toList();
  }

  private static long count(List<OffloadLoad.Outcome> outs, Predicate<OffloadLoad.Outcome> p) {
    return outs.stream().filter(p).count();
  }

  private static double p99(List<OffloadLoad.Outcome> outs) {
    List<Long> l = new ArrayList<>();
    outs.forEach(o -> l.add(o.latencyUs()));
    return l.isEmpty() ? 0 : OffloadLoad.percentile(l, 99);
  }
}
