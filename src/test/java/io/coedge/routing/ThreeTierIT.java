package io.coedge.routing;

import static io.coedge.Eventually.within;
import static io.coedge.routing.OffloadFixture.body;
import static io.coedge.routing.OffloadFixture.json;
import static io.coedge.routing.OffloadFixture.path;
import static io.coedge.routing.TierFixture.MODEL;
import static io.coedge.routing.TierFixture.metric;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coedge.Http;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Edge → regional → cloud on loopback (real Hazelcast, real ONNX Runtime, a WAN emulator per link; see
 * {@link TierFixture}): the regional node is a slow box (every batch 60 ms longer), so what the edge sends it goes
 * on to the cloud. Asserts on paths, hop counts, answers and errors, never on timings.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ThreeTierIT {

  private static final String VIA = "edge-1>regional-1>cloud-2";
  private static TierFixture fx;
  private static Http edge;
  private static Http regional;

  @BeforeAll
  static void start() throws Exception {
    fx = new TierFixture("it-tiers", 100_000, 60_000, 4);
    edge = new Http(fx.edge.port());
    regional = new Http(fx.regional.port()); // its own port, not the emulator: requests as another node sends them
  }

  @AfterAll
  static void stop() throws Exception {
    for (AutoCloseable c : new AutoCloseable[] {edge, regional, fx}) {
      if (c != null) {
        c.close();
      }
    }
  }

  private static float[] row(long seed) {
    Random r = new Random(seed);
    return new float[] {295 + 10 * r.nextFloat(), 305 + 10 * r.nextFloat(), 1300 + 600 * r.nextFloat(),
        20 + 50 * r.nextFloat(), 250 * r.nextFloat(), 3 * r.nextFloat(), 0, 20 * r.nextFloat()};
  }

  private static float[] outputs(HttpResponse<Buffer> r) {
    JsonArray data = r.bodyAsJsonObject().getJsonArray("outputs").getJsonObject(0).getJsonArray("data");
    float[] out = new float[data.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = data.getNumber(i).floatValue();
    }
    return out;
  }

  private static HttpResponse<Buffer> atRegional(long seed, String hop) {
    return atRegional(body(row(seed), null), hop);
  }

  /** Posts to the regional node's own port as a node that forwarded the request {@code hop} times would. */
  private static HttpResponse<Buffer> atRegional(Buffer body, String hop) {
    return regional.post(path(MODEL), body, MultiMap.caseInsensitiveMultiMap().addAll(json()).add(Hop.HEADER, hop));
  }

  @Test
  @Order(1)
  void workTheEdgeSendsToTheSlowRegionalGoesOnToTheCloudWithinTheHopLimitWithoutErrors() {
    // Until the estimates have learnt the boxes, the first requests may be served at the edge or the regional.
    long[] seed = {1000};
    within(60_000, "a request the edge sends to the regional is forwarded on to the cloud", () -> VIA.equals(
        edge.post(path(MODEL), body(row(seed[0]++), null), json()).getHeader(Hop.PATH_HEADER)));
    List<HttpResponse<Buffer>> answers = new ArrayList<>();
    for (long s = 1; s <= 24; s++) {
      answers.add(edge.post(path(MODEL), body(row(s), null), json()));
    }
    int via = 0;
    for (int i = 0; i < answers.size(); i++) {
      HttpResponse<Buffer> r = answers.get(i);
      assertEquals(200, r.statusCode(), r.bodyAsString());
      String p = r.getHeader(Hop.PATH_HEADER);
      assertTrue(Set.of("edge-1", "edge-1>regional-1", VIA).contains(p), "a path within the hop limit: " + p);
      if (VIA.equals(p)) {
        via++;
        assertEquals("cloud-2", r.getHeader("coedge-served-by"));
        assertTrue(r.getHeader("coedge-plan").matches("via path=" + VIA + " predicted-us=\\d+ observed-us=\\d+"),
            r.getHeader("coedge-plan"));
      }
      HttpResponse<Buffer> local = edge.post(path(MODEL), body(row(i + 1), "never"), json());
      assertEquals("edge-1", local.getHeader(Hop.PATH_HEADER));
      assertClose(outputs(local), outputs(r));
    }
    System.out.printf("three tiers: %d of %d answers via the regional to the cloud%n", via, answers.size());
    // The regional's own figure is at least its emulated 60 ms a batch; the cloud's is its compute over a 4 ms link.
    assertTrue(via > answers.size() / 2, "most requests took the route via the regional to the cloud: " + via);
    assertTrue(metric(fx.cloud, "coedge_hop_arrivals_total", "hops=\"2\"") >= via, "the cloud saw hop count 2");
    assertEquals(0, metric(fx.cloud, "coedge_offload_total"), "the cloud never forwards");
    assertTrue(metric(fx.regional, "coedge_hop_arrivals_total", "hops=\"1\"") >= via);
    assertTrue(metric(fx.edge, "coedge_cost_model_error_ratio_count", "target=\"via\"") >= via);
  }

  private static void assertClose(float[] want, float[] got) {
    assertEquals(want.length, got.length);
    for (int i = 0; i < want.length; i++) {
      assertEquals(want[i], got[i], 1e-5 * Math.max(1, Math.abs(want[i])), "output " + i);
    }
  }

  @Test
  @Order(2)
  void theRegionalPublishesWhatARequestSentToItCostsThereOnwardIncluded() {
    long[] seed = {2000};
    within(60_000, "the edge reads a via figure below the regional's own estimate in its record", () -> {
      assertEquals(200, edge.post(path(MODEL), body(row(seed[0]++), null), json()).statusCode());
      return TierFixture.model(fx.edge, "regional-1")
          .filter(m -> m.viaUs() > 0 && m.viaUs() < m.estimateUs()).isPresent();
    });
  }

  @Test
  @Order(3)
  void aRequestArrivingAtTheHopLimitIsServedWhereItIsNeverForwarded() {
    double offloads = metric(fx.regional, "coedge_offload_total");
    for (long s = 1; s <= 4; s++) {
      HttpResponse<Buffer> r = atRegional(s, Integer.toString(Hop.LIMIT));
      assertEquals(200, r.statusCode(), r.bodyAsString());
      assertEquals("local", r.getHeader("coedge-route"));
      assertEquals("regional-1", r.getHeader(Hop.PATH_HEADER));
    }
    // One it cannot serve in time (1 ms against its own 60 ms or more) is refused there, not sent on.
    HttpResponse<Buffer> late = atRegional(body(row(5), null, 1_000), Integer.toString(Hop.LIMIT));
    assertEquals(503, late.statusCode(), late.bodyAsString());
    assertTrue(late.getHeader("retry-after") != null && late.bodyAsJsonObject().containsKey("error"));
    assertEquals(offloads, metric(fx.regional, "coedge_offload_total"), "nothing sent on");
  }

  @Test
  @Order(4)
  void hostileHopCountsAreA400NeverALoop() {
    double arrivals = metric(fx.regional, "coedge_hop_arrivals_total");
    for (String bad : List.of("3", "0", "-1", "abc", "99999999999999999999", "1, 1")) {
      HttpResponse<Buffer> r = atRegional(7, bad);
      assertEquals(400, r.statusCode(), bad + ": " + r.bodyAsString());
      assertTrue(r.bodyAsJsonObject().getString("error").contains(Hop.HEADER), r.bodyAsString());
    }
    assertEquals(arrivals, metric(fx.regional, "coedge_hop_arrivals_total"), "none was routed");
  }
}
