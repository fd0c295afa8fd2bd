package io.coedge.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coedge.cluster.NodeEntry;
import io.coedge.cluster.NodeRecord;
import io.coedge.config.NodeConfig;
import io.coedge.inference.InferRequest;
import io.coedge.inference.InferenceException;
import io.coedge.inference.OffloadMode;
import io.coedge.observability.Metrics;
import io.coedge.observability.RequestTrace;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Tier order, hop counts and the regional node's published "via" figure: pure logic, an injected clock. */
class TiersTest {

  private final FakeClock clock = new FakeClock();

  @Test
  void aNodeForwardsOnlyToAStrictlyHigherTier() {
    List<String> roles = List.of("edge", "regional", "cloud");
    for (int i = 0; i < roles.size(); i++) {
      for (int j = 0; j < roles.size(); j++) {
        assertEquals(j > i, Tier.above(roles.get(i), roles.get(j)), roles.get(i) + " -> " + roles.get(j));
      }
    }
    assertTrue(Tier.forwards("edge") && Tier.forwards("regional"));
    assertFalse(Tier.forwards("cloud"), "the top tier never forwards");
    assertFalse(Tier.above("fog", "cloud") || Tier.above("edge", "fog") || Tier.forwards("fog"), "unknown roles");
  }

  @Test
  void everyRouteClimbsAtMostTwoHopsSoNoLoopCanForm() {
    // Whatever the table says, follow every allowed forward from every start: no route revisits a tier.
    for (String start : Tier.ORDER) {
      int hops = 0;
      String at = start;
      for (String next = higher(at); next != null; next = higher(at)) {
        assertTrue(Tier.rank(next) > Tier.rank(at));
        at = next;
        hops++;
      }
      assertTrue(hops <= Hop.LIMIT, start + " made " + hops + " hops");
    }
  }

  private static String higher(String role) {
    return Tier.ORDER.stream().filter(r -> Tier.above(role, r)).findFirst().orElse(null);
  }

  @Test
  void hopCountsAreOneOrTwoAndAbsentMeansAClient() {
    assertEquals(0, Hop.count(null));
    assertEquals(1, Hop.count("1"));
    assertEquals(2, Hop.count(" 2 "));
  }

  @Test
  void hostileHopHeadersAreA400NamingTheHeader() {
    for (String bad : List.of("", "0", "3", "-1", "01", "1.0", "two", "99999999999999999999", "1,1", "x".repeat(500))) {
      InferenceException e = assertThrows(InferenceException.class, () -> Hop.count(bad), "'" + bad + "'");
      assertEquals(400, e.status());
      assertTrue(e.getMessage().contains(Hop.HEADER) && e.getMessage().length() < 120, e.getMessage());
    }
  }

  @Test
  void thePathIsThisNodeThenWhatThePeerReportedIfItIsWellFormed() {
    assertEquals("edge-1>regional-1>cloud-2", Hop.path("edge-1", "regional-1>cloud-2", "regional-1"));
    assertEquals("edge-1>cloud-2", Hop.path("edge-1", null, "cloud-2"));
    for (String hostile : List.of("", "a>b>c", "a b", "a>>b", "x".repeat(300), "a>")) {
      assertEquals("edge-1>peer", Hop.path("edge-1", hostile, "peer"), hostile);
    }
    assertEquals(2, Hop.hops("edge-1>regional-1>cloud-2"));
    assertEquals(0, Hop.hops("edge-1"));
  }

  @Test
  void aRequestAtTheLimitIsNeverForwardedAndTheCloudNeverForwards() {
    Onward regional = onward("regional");
    assertTrue(regional.mayForward(call(0)));
    assertTrue(regional.mayForward(call(1)));
    assertFalse(regional.mayForward(call(Hop.LIMIT)));
    assertFalse(onward("cloud").mayForward(call(0)));
    assertFalse(onward("cloud").mayForward(call(1)));
  }

  @Test
  void theRegionalPublishesTheLesserOfLocalAndOnwardWhileItIsFresh() {
    Onward regional = onward("regional");
    assertEquals(0, regional.effectiveUs("m", "1", 40_000), "nothing priced yet: not published");
    regional.priced("m", "1", List.of(Peers.estimate("c1", 15_000, 0), Peers.estimate("c2", 9_000, 0)));
    assertEquals(9_000, regional.effectiveUs("m", "1", 40_000), "busy here: forwarding is cheaper");
    assertEquals(5_000, regional.effectiveUs("m", "1", 5_000), "idle here: serving is cheaper");
    assertEquals(0, regional.effectiveUs("m", "2", 40_000), "per version");
    clock.advanceMs(Onward.FRESH_NANOS / 1_000_000 + 1);
    assertEquals(0, regional.effectiveUs("m", "1", 40_000), "a figure no request refreshed is not published");
  }

  @Test
  void edgesAndCloudsPublishNoViaFigure() {
    for (String role : List.of("edge", "cloud")) {
      Onward o = onward(role);
      o.priced("m", "1", List.of(Peers.estimate("c1", 9_000, 0)));
      assertEquals(0, o.effectiveUs("m", "1", 40_000), role);
    }
  }

  @Test
  void theEdgePricesARegionalNodeAtItsViaFigureOverItsOwnLink() {
    CostModel costs = new CostModel(Peers.config(Map.of("offload.default-rtt-ms", "10",
        "offload.default-bandwidth-mbps", "100")), clock);
    // Regional: 4 queued at 40 ms a batch on one worker (its local sojourn 200 ms), but 12 ms via the cloud.
    NodeEntry busy = regional(4, 40_000, 12_000);
    CostModel.Estimate e = costs.remote(busy, "m", "1", 1_000);
    assertEquals(e.networkUs() + 12_000, e.estimateUs(), 1e-6);
    assertTrue(e.waitUs() >= 0 && e.serviceUs() <= 12_000, e.toString());
    // Idle regional: its own 40 ms beats nothing published; a via figure above local changes nothing either.
    assertEquals(e.networkUs() + 40_000, costs.remote(regional(0, 40_000, 0), "m", "1", 1_000).estimateUs(), 1e-6);
    assertEquals(e.networkUs() + 40_000, costs.remote(regional(0, 40_000, 90_000), "m", "1", 1_000).estimateUs(),
        1e-6);
  }

  @Test
  void theEdgeLearnsItsOwnLinkToTheRegionalNotTheSumOfBothLinks() {
    CostModel costs = new CostModel(Peers.defaults(), clock);
    for (int i = 0; i < 20; i++) {
      // 50 ms at the edge; the regional reports 38 ms beyond compute (incl. its link to the cloud), 2 ms compute
      costs.observed("r1", "m", 50_000, 38_000, 2_000, 200, 300);
      costs.observed("c1", "m", 30_000, 1_000, 2_000, 200, 300);
    }
    assertEquals(10_000, costs.rttUs("r1"), 500, "edge to regional");
    assertEquals(27_000, costs.rttUs("c1"), 500, "edge to cloud, a link of its own");
  }

  @Test
  void theDeadlineTheNextNodeIsToldLosesOnlyTheRequestsWayThere() {
    CostModel costs = new CostModel(Peers.config(Map.of("offload.default-rtt-ms", "10",
        "offload.default-bandwidth-mbps", "100")), clock);
    // half the 10 ms round trip, then 125 000 bytes at 100 Mbit/s (0.08 µs a byte)
    assertEquals(5_000 + 125_000 * 0.08, costs.oneWayUs("r1", 125_000), 1e-6);
  }

  private NodeEntry regional(int queued, double serviceUs, double viaUs) {
    NodeRecord.Model m = new NodeRecord.Model("m", "1", Peers.SHA, true, 1, queued, 0, serviceUs, 1, 0, 0, 0, 0, "",
        0, 0, viaUs);
    return new NodeEntry(new NodeRecord("r1", "", "regional", "lab", "http://r1:8080", "test", false, 1,
        clock.millis(), List.of(m)), 0, true);
  }

  private Onward onward(String role) {
    return new Onward(new NodeConfig("n1", role, "lab"), Metrics.NOOP, clock);
  }

  private static Call call(int hops) {
    InferRequest r = new InferRequest("r1", "m", null, List.of(), List.of(), false, 0, 0, OffloadMode.AUTO);
    return new Call(r, Buffer.buffer(), "application/json", null, hops, RequestTrace.NONE);
  }
}
