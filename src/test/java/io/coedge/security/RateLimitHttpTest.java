package io.coedge.security;

import static io.coedge.security.AuthFixture.entry;
import static io.coedge.security.AuthFixture.error;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coedge.Eventually;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Token buckets over real HTTP: parallel clients on one key, separate keys, per-key limits, anonymous addresses. */
@Timeout(60)
class RateLimitHttpTest {

  /** Slow enough that 80 requests are limited however long a busy machine takes to send them (up to 70 s). */
  static final double RATE = 1;
  static final int BURST = 10;

  @TempDir
  Path dir;

  /** {@code n} requests one after another on one connection's worth of client, collecting the responses. */
  static Future<Void> fire(AuthFixture gw, MultiMap headers, int n, List<HttpResponse<Buffer>> out) {
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < n; i++) {
      chain = chain.compose(x -> gw.send(HttpMethod.POST, "/v2/models/add-one/infer", headers,
          AuthFixture.ADD_ONE_BODY).map(r -> {
            out.add(r);
            return null;
          }));
    }
    return chain;
  }

  @Test
  void parallelClientsOnOneKeyGetAtMostBurstPlusRateTimesElapsedAndTheRest429() throws Exception {
    String a = KeyHash.randomKey();
    String b = KeyHash.randomKey();
    Path keys = AuthFixture.writeKeys(dir.resolve("keys.yaml"), entry("a", a, "infer", null),
        entry("b", b, "infer", null));
    try (AuthFixture gw = new AuthFixture(Map.of("security.auth.mode", "keys", "security.auth.key-file",
        keys.toString(), "security.rate-limit.rate", String.valueOf(RATE),
        "security.rate-limit.burst", String.valueOf(BURST)))) {
      List<HttpResponse<Buffer>> responses = new CopyOnWriteArrayList<>();
      List<Future<Void>> clients = new ArrayList<>();
      long t0 = System.nanoTime();
      for (int c = 0; c < 8; c++) {
        clients.add(fire(gw, AuthFixture.headers("X-API-Key", a), 10, responses));
      }
      Eventually.await(Future.all(clients));
      double elapsedS = (System.nanoTime() - t0) / 1e9;

      assertEquals(80, responses.size());
      long ok = responses.stream().filter(r -> r.statusCode() == 200).count();
      assertTrue(ok >= BURST, "a full bucket lets the burst through: " + ok);
      assertTrue(ok <= BURST + RATE * elapsedS + 1, ok + " successes in " + elapsedS + " s");
      assertTrue(ok < 80, "80 requests in " + elapsedS + " s and none was limited");
      for (HttpResponse<Buffer> r : responses) {
        if (r.statusCode() != 200) {
          assertEquals(429, r.statusCode(), r.bodyAsString());
          assertEquals("1", r.getHeader("retry-after"), "ceil of at most 1/rate = 1 s");
          assertTrue(error(r).contains("rate limit of key a exceeded"), error(r));
        }
      }
      assertEquals(200, gw.infer("add-one", "X-API-Key", b).statusCode(), "b has a bucket of its own");
    }
  }

  @Test
  void aKeysOwnLimitOverridesTheDefault() throws Exception {
    String slow = KeyHash.randomKey();
    Path keys = AuthFixture.writeKeys(dir.resolve("keys.yaml"),
        entry("slow", slow, "infer", null) + "    rate: 0.1\n    burst: 3\n");
    try (AuthFixture gw = new AuthFixture(Map.of("security.auth.mode", "keys", "security.auth.key-file",
        keys.toString(), "security.rate-limit.rate", "1000", "security.rate-limit.burst", "1000"))) {
      for (int i = 0; i < 3; i++) {
        assertEquals(200, gw.infer("add-one", "X-API-Key", slow).statusCode());
      }
      HttpResponse<Buffer> limited = gw.infer("add-one", "X-API-Key", slow);
      assertEquals(429, limited.statusCode());
      int retry = Integer.parseInt(limited.getHeader("retry-after"));
      assertTrue(retry >= 9 && retry <= 10, "one token every 10 s: " + retry);
    }
  }

  @Test
  void anonymousCallersAreLimitedPerAddressAndOpenHealthIsNot() throws Exception {
    try (AuthFixture gw = new AuthFixture(Map.of("security.rate-limit.rate", "0.1",
        "security.rate-limit.burst", "2"))) {
      assertEquals(200, gw.infer("add-one").statusCode());
      assertEquals(200, gw.get("/v2/models/add-one").statusCode());
      HttpResponse<Buffer> limited = gw.infer("add-one");
      assertEquals(429, limited.statusCode());
      assertTrue(error(limited).contains("anonymous"), error(limited));
      assertEquals(200, gw.get("/v2/health/live").statusCode());
    }
  }

  @Test
  void everyRefusalIsCountedByStatusAndReason() throws Exception {
    String only = KeyHash.randomKey();
    Path keys = AuthFixture.writeKeys(dir.resolve("keys.yaml"),
        entry("only", only, "infer", "add-one") + "    rate: 0.1\n    burst: 1\n");
    try (AuthFixture gw = new AuthFixture(Map.of("security.auth.mode", "keys", "security.auth.key-file",
        keys.toString(), "security.auth.open-metrics", "true"))) {
      assertEquals(401, gw.infer("add-one").statusCode());
      assertEquals(401, gw.infer("add-one", "X-API-Key", KeyHash.randomKey()).statusCode());
      assertEquals(401, gw.infer("add-one", "X-API-Key", KeyHash.randomKey()).statusCode());
      assertEquals(403, gw.infer("fixed-shape", "X-API-Key", only).statusCode());
      assertEquals(200, gw.infer("add-one", "X-API-Key", only).statusCode());
      assertEquals(429, gw.infer("add-one", "X-API-Key", only).statusCode());
      String metrics = gw.get("/metrics").bodyAsString();
      assertEquals(1.0, refusals(metrics, "401", "missing"), metrics);
      assertEquals(2.0, refusals(metrics, "401", "invalid"), metrics);
      assertEquals(1.0, refusals(metrics, "403", "forbidden"), metrics);
      assertEquals(1.0, refusals(metrics, "429", "rate-limited"), metrics);
    }
  }

  /** The value of {@code coedge_auth_refusals_total} with these labels, or NaN when the line is missing. */
  private static double refusals(String scrape, String status, String reason) {
    String labels = "{reason=\"" + reason + "\",status=\"" + status + "\"}";
    return scrape.lines().filter(l -> l.startsWith("coedge_auth_refusals_total" + labels + " "))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElse(Double.NaN);
  }
}
