import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.LongAdder;

/**
 * The compose demo's load generator (a single-file program: {@code java Load.java}, JDK 17, no dependencies).
 * Open loop at a rate that climbs from RATE_START to RATE_MAX requests/s over RAMP_S seconds, then holds, spread
 * over the TARGETS round robin, and stops after DURATION_S: enough to push edges past their capacity so they
 * offload. Bounded: at most MAX_INFLIGHT requests outstanding (a request that finds none free is counted as
 * "skipped", never queued), one request body shared by all. Every 10 s it prints what came back, by
 * coedge-route header or status.
 */
public final class Load {

  public static void main(String[] args) throws Exception {
    String[] targets = env("TARGETS", "http://edge-1:8080,http://edge-2:8080").split(",");
    String model = env("MODEL", "traffic-counter");
    double start = Double.parseDouble(env("RATE_START", "10"));
    double max = Double.parseDouble(env("RATE_MAX", "300"));
    double rampS = Double.parseDouble(env("RAMP_S", "120"));
    long durationS = Long.parseLong(env("DURATION_S", "900"));
    int inflight = Integer.parseInt(env("MAX_INFLIGHT", "128"));
    long timeoutUs = Long.parseLong(env("TIMEOUT_US", "100000"));

    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    String body = body(client, targets[0], model, timeoutUs);
    Semaphore permits = new Semaphore(inflight);
    Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
    LongAdder skipped = new LongAdder();
    long t0 = System.nanoTime();
    long next = t0;
    long report = t0 + 10_000_000_000L;
    for (long n = 0; System.nanoTime() - t0 < durationS * 1_000_000_000L; n++) {
      double elapsedS = (next - t0) / 1e9;
      double rate = elapsedS >= rampS ? max : start + (max - start) * elapsedS / rampS;
      next += (long) (1e9 / rate);
      long wait = next - System.nanoTime();
      if (wait > 0) {
        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
      }
      if (!permits.tryAcquire()) {
        skipped.increment();
      } else {
        String target = targets[(int) (n % targets.length)];
        HttpRequest req = HttpRequest.newBuilder(URI.create(target + "/v2/models/" + model + "/infer"))
            .timeout(Duration.ofSeconds(5)).header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        client.sendAsync(req, HttpResponse.BodyHandlers.discarding()).whenComplete((r, err) -> {
          permits.release();
          String what = err != null ? "error" : r.statusCode() == 200
              ? r.headers().firstValue("coedge-route").orElse("200") : "http " + r.statusCode();
          outcomes.computeIfAbsent(what, k -> new LongAdder()).increment();
        });
      }
      if (System.nanoTime() > report) {
        report += 10_000_000_000L;
        Map<String, Long> seen = new TreeMap<>();
        outcomes.forEach((k, v) -> seen.put(k, v.sumThenReset()));
        System.out.printf("%4.0f s, %5.0f req/s offered: %s, skipped (in-flight cap) %d%n", elapsedS, rate, seen,
            skipped.sumThenReset());
      }
    }
    System.out.println("done after " + durationS + " s");
  }

  private static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }

  /** A request of zeros shaped like the model's first input (read from its metadata once the node answers). */
  private static String body(HttpClient client, String target, String model, long timeoutUs) throws Exception {
    HttpRequest get = HttpRequest.newBuilder(URI.create(target + "/v2/models/" + model)).build();
    for (int attempt = 0; ; attempt++) {
      try {
        HttpResponse<String> r = client.send(get, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return request(r.body(), timeoutUs);
        }
      } catch (java.io.IOException e) {
        // not up yet
      }
      if (attempt % 10 == 0) {
        System.out.println("waiting for " + target + " to serve " + model);
      }
      Thread.sleep(1000);
    }
  }

  /** Reads name, datatype and shape from the metadata JSON without a JSON library (the format is fixed). */
  static String request(String metadata, long timeoutUs) {
    String in = metadata.substring(metadata.indexOf("\"inputs\""));
    String name = field(in, "\"name\":\"", "\"");
    String datatype = field(in, "\"datatype\":\"", "\"");
    String[] dims = field(in, "\"shape\":[", "]").split(",");
    StringBuilder shape = new StringBuilder();
    long count = 1;
    for (String d : dims) {
      long dim = Math.max(1, Long.parseLong(d.trim()));
      count *= dim;
      shape.append(shape.length() == 0 ? "" : ",").append(dim);
    }
    String data = "0,".repeat((int) count);
    return "{\"parameters\":{\"timeout\":" + timeoutUs + "},\"inputs\":[{\"name\":\"" + name + "\",\"datatype\":\""
        + datatype + "\",\"shape\":[" + shape + "],\"data\":[" + data.substring(0, data.length() - 1) + "]}]}";
  }

  private static String field(String s, String before, String after) {
    int i = s.indexOf(before) + before.length();
    return s.substring(i, s.indexOf(after, i));
  }
}
