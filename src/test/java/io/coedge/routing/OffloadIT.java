package io.coedge.routing;

import static io.coedge.Eventually.within;
import static io.coedge.routing.OffloadFixture.CASCADE;
import static io.coedge.routing.OffloadFixture.CONFIDENT;
import static io.coedge.routing.OffloadFixture.MODEL;
import static io.coedge.routing.OffloadFixture.PRIVATE;
import static io.coedge.routing.OffloadFixture.UNSURE;
import static io.coedge.routing.OffloadFixture.body;
import static io.coedge.routing.OffloadFixture.json;
import static io.coedge.routing.OffloadFixture.path;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coedge.Http;
import io.coedge.bench.OffloadLoad;
import io.coedge.bench.OffloadLoad.At;
import io.coedge.bench.OffloadLoad.Outcome;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * The offload scenarios on one fixture: an edge of capacity C (one worker, emulated slow hardware), two cloud
 * nodes behind 20 ms / 50 Mbit/s WAN emulators, open-loop load. Nothing here depends on a quiet machine: the load
 * is sized from the capacity C measured here, and the requests' objective from the latencies measured here (at
 * least 100 ms; on a busy machine more), so a slow run shifts every figure together; the figures themselves
 * (p99, time to a 503) are bench/offload.sh's. Ordered: the last test kills a cloud node.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OffloadIT {

  private static final long SLO_US = 100_000;
  private static OffloadFixture fx;
  private static OffloadLoad load;
  private static double capacity;
  /** The requests' latency objective, µs: 100 ms, or more on a busy machine (see {@link #objective()}). */
  private static long objectiveUs;

  @BeforeAll
  static void start() throws Exception {
    fx = new OffloadFixture("it-offload", 20_000, SLO_US, 20, 50, Map.of());
    load = new OffloadLoad(128);
    fx.warmUp(load);
    capacity = fx.capacity();
    objectiveUs = objective();
    System.out.printf("edge capacity C = %.1f req/s, objective %.1f ms%n", capacity, objectiveUs / 1000.0);
  }

  @AfterAll
  static void stop() throws Exception {
    if (load != null) {
      load.close();
    }
    if (fx != null) {
      fx.close();
    }
  }

  /**
   * {@value #SLO_US} µs, or 4 × the median of a few idle answers (local and offloaded, each measured here) if that
   * is more: on a busy machine the objective grows with what the machine gives, and the local queue it allows
   * (0.75 × objective / service time) stays a few requests long, as on a quiet one.
   */
  private static long objective() {
    return fx.objective(SLO_US, 4);
  }

  private static List<Outcome> run(String model, float[] row, double timesC, double seconds, At... events)
      throws InterruptedException {
    List<Outcome> outs = load.run(fx.edge.port(), path(model), body(row, null, objectiveUs), json(),
        timesC * capacity, seconds, events);
    System.out.println(model + " at " + timesC + " C: " + outs.stream().collect(java.util.stream.Collectors
        .groupingBy(o -> o.status() + "/" + o.route() + "/" + o.servedBy(), java.util.TreeMap::new,
            java.util.stream.Collectors.counting())));
    outs.stream().filter(o -> !o.ok()).limit(10).forEach(o -> System.out.printf(
        "  due %.0f ms, answered after %.1f ms: %s%n", o.dueMs(), o.latencyUs() / 1000.0, o.error()));
    return outs;
  }

  private static long count(List<Outcome> outs, Predicate<Outcome> p) {
    return outs.stream().filter(p).count();
  }

  private static double p99(List<Outcome> outs) {
    return OffloadLoad.percentile(outs.stream().map(Outcome::latencyUs).toList(), 99);
  }

  @Test
  @Order(0)
  void aWrongShapeRequestTheEdgeWouldOffloadIsA400AndNoCloudReceivesIt() {
    JsonObject bad = new JsonObject().put("inputs", new io.vertx.core.json.JsonArray().add(new JsonObject()
        .put("name", "features").put("shape", new io.vertx.core.json.JsonArray().add(1).add(3))
        .put("datatype", "FP32").put("data", new io.vertx.core.json.JsonArray().add(1).add(2).add(3))))
        .put("parameters", new JsonObject().put("offload", "prefer")); // the decision would be "cloud first"
    long before = cloudRequests();
    double offloadsBefore = fx.offloads("model=\"" + MODEL + "\"");
    try (Http http = new Http(fx.edge.port())) {
      HttpResponse<io.vertx.core.buffer.Buffer> r = http.post(path(MODEL), bad.toBuffer(), json());
      assertEquals(400, r.statusCode(), r.bodyAsString());
      assertTrue(r.bodyAsJsonObject().getString("error").contains("shape"), r.bodyAsString());
    }
    assertEquals(offloadsBefore, fx.offloads("model=\"" + MODEL + "\""), "no offload attempted");
    assertEquals(before, cloudRequests(), "no cloud node saw a request");
  }

  /** Requests (answered or failed) both clouds counted for {@link OffloadFixture#MODEL}. */
  private static long cloudRequests() {
    long n = 0;
    for (var cloud : fx.clouds) {
      try (Http http = new Http(cloud.port())) {
        JsonObject stats = http.get("/v2/models/" + MODEL + "/stats").bodyAsJsonObject()
            .getJsonArray("model_stats").getJsonObject(0).getJsonObject("inference_stats");
        n += stats.getJsonObject("success").getLong("count") + stats.getJsonObject("fail").getLong("count");
      }
    }
    return n;
  }

  @Test
  @Order(1)
  void atHalfCapacityEveryRequestIsServedLocally() throws Exception {
    List<Outcome> outs = run(MODEL, CONFIDENT, 0.5, 3);
    assertEquals(outs.size(), count(outs, o -> o.ok() && "local".equals(o.route()) && "edge".equals(o.servedBy())),
        "all local");
  }

  @Test
  @Order(2)
  void atThreeTimesCapacityOnlyTheExcessIsOffloadedAcrossBothCloudsWithinTheObjective() throws Exception {
    List<Outcome> outs = run(MODEL, CONFIDENT, 3, 5);
    assertEquals(0, count(outs, o -> !o.ok()), "errors");
    double share = (double) count(outs, o -> "offload".equals(o.route())) / outs.size();
    double needed = 1 - 1 / 3.0;
    long c0 = count(outs, o -> "cloud-0".equals(o.servedBy()));
    long c1 = count(outs, o -> "cloud-1".equals(o.servedBy()));
    System.out.printf("3C: p99 %.1f ms, offloaded %.3f (needed %.3f), cloud-0 %d, cloud-1 %d%n", p99(outs) / 1000,
        share, needed, c0, c1);
    // p99 against the objective is a figure of this machine's load: bench/offload.sh reports it
    assertTrue(Math.abs(share - needed) <= 0.10, "offloaded share " + share + " vs needed " + needed);
    assertTrue(Math.min(c0, c1) >= 0.25 * (c0 + c1), "spread across both clouds: " + c0 + " / " + c1);
  }

  @Test
  @Order(3)
  void edgeOnlyAnswersTheExcess503FastAndOffloadsNothing() throws Exception {
    List<Outcome> outs = run(PRIVATE, CONFIDENT, 3, 3);
    List<Outcome> rejected = outs.stream().filter(o -> o.status() == 503).toList();
    assertEquals(outs.size(), count(outs, o -> "local".equals(o.route()) || o.status() == 503), "local or 503");
    assertTrue(rejected.size() > outs.size() / 3, "the excess is rejected: " + rejected.size());
    assertTrue(rejected.stream().allMatch(o -> o.retryAfter() != null), "Retry-After on every 503");
    double p95 = OffloadLoad.percentile(rejected.stream().map(Outcome::serviceUs).toList(), 95);
    System.out.printf("edge-only: %d of %d rejected, p95 time to the 503 %.2f ms%n", rejected.size(), outs.size(),
        p95 / 1000);
    // Fast means refused at admission, not queued to miss the deadline (how fast is the bench's figure); as the
    // p95 it replaces, it allows the odd request the estimate let in and the machine then delayed
    List<String> late = rejected.stream().filter(o -> !admissionRefusal(o)).map(Outcome::error).toList();
    assertTrue(late.size() <= 0.05 * rejected.size(), "503s that were not admission refusals: " + late);
    assertEquals(0, fx.offloads("model=\"" + PRIVATE + "\""), "nothing offloaded");
  }

  @Test
  @Order(4)
  void cascadeAsksTheCloudModelOnlyForUnsureAnswersAndFallsBackWhenTheCloudFails() {
    try (Http http = new Http(fx.edge.port())) {
      HttpResponse<io.vertx.core.buffer.Buffer> sure = http.post(path(CASCADE), body(CONFIDENT, null, objectiveUs),
          json());
      assertEquals(200, sure.statusCode());
      assertEquals("local", sure.getHeader("coedge-route"));
      HttpResponse<io.vertx.core.buffer.Buffer> unsure = http.post(path(CASCADE), body(UNSURE, null, objectiveUs),
          json());
      assertEquals(200, unsure.statusCode(), unsure.bodyAsString());
      assertEquals("cascade", unsure.getHeader("coedge-route"));
      assertTrue(unsure.getHeader("coedge-served-by").startsWith("cloud-"));
      assertEquals(MODEL, new JsonObject(unsure.body()).getString("model_name"));

      fx.links.forEach(WanEmulator::cut);
      try {
        HttpResponse<io.vertx.core.buffer.Buffer> cut = http.post(path(CASCADE), body(UNSURE, null, objectiveUs),
            json());
        assertEquals(200, cut.statusCode(), cut.bodyAsString());
        assertEquals("fallback", cut.getHeader("coedge-route"));
        assertEquals(CASCADE, new JsonObject(cut.body()).getString("model_name"));
      } finally {
        fx.links.forEach(WanEmulator::heal);
      }
    }
  }

  @Test
  @Order(5)
  void aCloudAnswering503FastGetsUnder5PercentOfOffloads() throws Exception {
    awaitNoEjection();
    double before0 = fx.offloads("target=\"cloud-0\"");
    double before1 = fx.offloads("target=\"cloud-1\"");
    fx.links.get(1).answer503();
    List<Outcome> outs;
    try {
      outs = run(MODEL, CONFIDENT, 3, 5);
    } finally {
      fx.links.get(1).heal();
    }
    double to0 = fx.offloads("target=\"cloud-0\"") - before0;
    double to1 = fx.offloads("target=\"cloud-1\"") - before1;
    System.out.printf("503-fast cloud: %.0f of %.0f offload attempts, %d client errors%n", to1, to0 + to1,
        count(outs, o -> !o.ok()));
    assertTrue(to1 < 0.05 * (to0 + to1), "the failing cloud got " + to1 + " of " + (to0 + to1));
    assertEquals(0, count(outs, o -> !o.ok()), "its 503s never reach a client");
  }

  @Test
  @Order(6)
  void whenTheLinkIsCutTheEdgeServesLocallyShedsFastAndResumesOffloadingAfterHeal() throws Exception {
    awaitNoEjection();
    List<Outcome> outs;
    try {
      outs = run(MODEL, CONFIDENT, 3, 8, new At(2000, () -> fx.links.forEach(WanEmulator::cut)),
          new At(5000, () -> fx.links.forEach(WanEmulator::heal)));
    } finally {
      fx.links.forEach(WanEmulator::heal);
    }
    List<Outcome> during = outs.stream().filter(o -> o.dueMs() >= 2300 && o.dueMs() < 5000).toList();
    List<Outcome> after = outs.stream().filter(o -> o.dueMs() >= 6500).toList();
    long local = count(during, o -> o.ok() && !"offload".equals(o.route()));
    List<Outcome> shed = during.stream().filter(o -> o.status() == 503).toList();
    double p95 = OffloadLoad.percentile(shed.stream().map(Outcome::serviceUs).toList(), 95);
    System.out.printf("link cut: %d local answers in 2.7 s (C = %.0f/s), %d shed (p95 %.2f ms), %d offloaded after"
        + " heal%n", local, capacity, shed.size(), p95 / 1000, count(after, o -> "offload".equals(o.route())));
    assertEquals(0, count(outs, o -> o.status() != 200 && o.status() != 503), "only answers or 503s");
    assertTrue(local >= 0.7 * capacity * 2.7, "the edge keeps serving locally: " + local);
    List<String> expired = shed.stream().filter(o -> o.error().contains("passed while queued")).map(Outcome::error)
        .toList();
    assertTrue(expired.size() <= 0.05 * shed.size(), "the excess is refused, not queued to expire: " + expired);
    assertTrue(shed.stream().allMatch(o -> o.retryAfter() != null), "Retry-After on every 503");
    assertTrue(count(after, o -> "offload".equals(o.route())) > after.size() / 3, "offloading resumed after heal");
  }

  @Test
  @Order(7)
  void aCloudNodeKilledMidRunCostsNoClientError() throws Exception {
    awaitNoEjection();
    List<Outcome> outs = run(MODEL, CONFIDENT, 3, 5, new At(2000, () -> fx.kill(1)));
    System.out.printf("cloud killed: %d errors of %d, cloud-1 answered %d%n", count(outs, o -> !o.ok()), outs.size(),
        count(outs, o -> "cloud-1".equals(o.servedBy())));
    assertEquals(0, count(outs, o -> !o.ok()), "client errors");
    assertTrue(count(outs, o -> o.dueMs() > 3000 && "cloud-0".equals(o.servedBy())) > 0, "cloud-0 takes over");
  }

  /** The 503 of local admission: the estimate does not fit the deadline, or the queue is full. */
  private static boolean admissionRefusal(Outcome o) {
    return o.error() != null && (o.error().contains("here now") || o.error().contains("is full"));
  }

  private static void awaitNoEjection() {
    within(30_000, "no cloud ejected", () -> !fx.edge.router().selector().ejected("cloud-0")
        && !fx.edge.router().selector().ejected("cloud-1"));
  }
}
