package io.coedge.bench;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Samples one node's {@code GET /v2/cluster/nodes} for a while and prints how old peers' records are when
 * read (uniform samples) and how old a new write is when this reader first sees it (convergence; includes up
 * to one poll interval). Used by {@code bench/cluster.sh}; not a test.
 *
 * <p>Usage: {@code ClusterBench <reader-base-url> <seconds> <poll-ms>}
 */
public final class ClusterBench {

  private ClusterBench() {
  }

  public static void main(String[] args) throws Exception {
    String base = args[0];
    long seconds = Long.parseLong(args[1]);
    long pollMs = Long.parseLong(args[2]);
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/v2/cluster/nodes")).build();
    List<Long> ages = new ArrayList<>();
    List<Long> firstSeen = new ArrayList<>();
    Map<String, Long> lastSeq = new HashMap<>();
    int stale = 0;
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    while (System.nanoTime() < end) {
      JsonObject body = new JsonObject(http.send(req, HttpResponse.BodyHandlers.ofString()).body());
      String self = body.getString("node");
      for (Object o : body.getJsonArray("nodes")) {
        JsonObject n = (JsonObject) o;
        if (n.getString("id").equals(self)) {
          continue;
        }
        long age = n.getLong("ageMs");
        ages.add(age);
        stale += n.getBoolean("fresh") ? 0 : 1;
        Long before = lastSeq.put(n.getString("id"), n.getLong("seq"));
        if (before != null && before != n.getLong("seq").longValue()) {
          firstSeen.add(age);
        }
      }
      Thread.sleep(pollMs);
    }
    System.out.println("age_when_read_ms " + summary(ages) + " stale_samples=" + stale);
    System.out.println("age_at_first_sight_ms " + summary(firstSeen));
  }

  private static String summary(List<Long> xs) {
    if (xs.isEmpty()) {
      return "n=0";
    }
    Collections.sort(xs);
    return "n=" + xs.size() + " p50=" + pct(xs, 50) + " p99=" + pct(xs, 99) + " max=" + xs.get(xs.size() - 1);
  }

  private static long pct(List<Long> sorted, int p) {
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
  }
}
