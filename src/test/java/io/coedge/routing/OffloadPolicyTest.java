package io.coedge.routing;

import static io.coedge.routing.Peers.estimate;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coedge.inference.OffloadMode;
import java.util.List;
import org.junit.jupiter.api.Test;

class OffloadPolicyTest {

  private static final long SLO = 100_000;
  private static final List<CostModel.Estimate> CLOUDS = List.of(estimate("cheap", 60_000, 0.001),
      estimate("fast", 30_000, 0.01), estimate("slow", 150_000, 0));

  private static OffloadPolicy.Situation s(Policy p, double localUs, List<CostModel.Estimate> c) {
    return new OffloadPolicy.Situation(p, true, SLO, 0.8, localUs, 3, 0, 1_000_000, c, false);
  }

  private static List<String> ids(Decision d) {
    return d.pool().stream().map(CostModel.Estimate::id).toList();
  }

  @Test
  void localFirstStaysLocalWhileTheLocalEstimateMeetsTheObjective() {
    Decision d = OffloadPolicy.decide(s(Policy.LOCAL_FIRST, 79_000, CLOUDS));
    assertFalse(d.remote());
    assertEquals("local-meets-slo", d.reason());
  }

  @Test
  void localFirstThenTakesTheCheapestCloudThatMeetsTheObjective() {
    Decision d = OffloadPolicy.decide(s(Policy.LOCAL_FIRST, 81_000, CLOUDS));
    assertTrue(d.remote());
    assertEquals(List.of("cheap"), ids(d));
  }

  @Test
  void localFirstElseTheFastestElseLocal() {
    List<CostModel.Estimate> late = List.of(estimate("x", 120_000, 0), estimate("y", 200_000, 0));
    assertEquals(List.of("x"), ids(OffloadPolicy.decide(s(Policy.LOCAL_FIRST, 300_000, late))));
    assertFalse(OffloadPolicy.decide(s(Policy.LOCAL_FIRST, 110_000, late)).remote(), "local is the fastest");
  }

  @Test
  void equallyGoodNodesAllStayInThePoolSoTheSelectorCanSpreadLoad() {
    List<CostModel.Estimate> twins = List.of(estimate("a", 30_000, 0), estimate("b", 31_000, 0));
    assertEquals(List.of("a", "b"), ids(OffloadPolicy.decide(s(Policy.LOCAL_FIRST, 90_000, twins))));
  }

  @Test
  void costOptimalMinimisesLatencyPlusLambdaTimesPrice() {
    // λ = 1e6 µs per unit: cheap = 60 ms + 1 ms = 61 ms, fast = 30 ms + 10 ms = 40 ms, local 50 ms
    Decision d = OffloadPolicy.decide(s(Policy.COST_OPTIMAL, 50_000, CLOUDS));
    assertEquals(List.of("fast"), ids(d));
    assertFalse(OffloadPolicy.decide(s(Policy.COST_OPTIMAL, 35_000, CLOUDS)).remote(), "local is free and fast");
    var expensive = new OffloadPolicy.Situation(Policy.COST_OPTIMAL, true, SLO, 0.8, 50_000, 3, 0, 1e9, CLOUDS,
        false);
    assertEquals(List.of("slow"), ids(OffloadPolicy.decide(new OffloadPolicy.Situation(Policy.COST_OPTIMAL, true, 0,
        0.8, 500_000, 3, 0, 1e9, CLOUDS, false))), "no objective: the free one");
    assertFalse(OffloadPolicy.decide(expensive).remote(), "with a high λ local wins");
  }

  @Test
  void cloudFirstGoesToTheCloudWhileOneMeetsTheObjective() {
    assertEquals(List.of("cheap"), ids(OffloadPolicy.decide(s(Policy.CLOUD_FIRST, 1_000, CLOUDS))));
    assertFalse(OffloadPolicy.decide(s(Policy.CLOUD_FIRST, 1_000, List.of(estimate("slow", 150_000, 0)))).remote());
  }

  @Test
  void edgeOnlyHopsCloudNodesAndExhaustedBudgetsNeverOffload() {
    assertFalse(OffloadPolicy.decide(s(Policy.EDGE_ONLY, 500_000, CLOUDS)).remote());
    var notAllowed = new OffloadPolicy.Situation(Policy.CLOUD_FIRST, false, SLO, 0.8, 500_000, 3, 0, 1, CLOUDS,
        false);
    assertFalse(OffloadPolicy.decide(notAllowed).remote());
    assertFalse(OffloadPolicy.onNoPermit(notAllowed, 90_000).remote());
    assertFalse(OffloadPolicy.onNoPermit(s(Policy.EDGE_ONLY, 500_000, CLOUDS), 90_000).remote());
  }

  @Test
  void theRequestNarrowsThePolicyButNeverWidensEdgeOnly() {
    assertEquals(Policy.EDGE_ONLY, Policy.EDGE_ONLY.narrowedBy(OffloadMode.PREFER));
    assertEquals(Policy.EDGE_ONLY, Policy.LOCAL_FIRST.narrowedBy(OffloadMode.NEVER));
    assertEquals(Policy.CLOUD_FIRST, Policy.LOCAL_FIRST.narrowedBy(OffloadMode.PREFER));
    assertEquals(Policy.COST_OPTIMAL, Policy.COST_OPTIMAL.narrowedBy(OffloadMode.AUTO));
    assertEquals(Policy.LOCAL_FIRST, Policy.of("local-first"));
  }

  @Test
  void everyPolicyParsesFromTheNameConfigYamlUses() {
    // the names as README and DESIGN §6.2 spell them, not as the code derives them
    List<String> documented = List.of("edge-only", "local-first", "cost-optimal", "cloud-first", "cascade");
    List<Policy> parsed = documented.stream().map(Policy::of).toList();
    assertEquals(List.of(Policy.EDGE_ONLY, Policy.LOCAL_FIRST, Policy.COST_OPTIMAL, Policy.CLOUD_FIRST,
        Policy.CASCADE), parsed);
    assertEquals(Policy.values().length, documented.size(), "every policy has a documented name");
    assertEquals(Policy.CLOUD_FIRST, Policy.of("CLOUD_FIRST"), "the enum name is still accepted");
  }

  @Test
  void withoutALocalPermitOnlyNodesThatCanStillMakeTheDeadlineAreTried() {
    Decision d = OffloadPolicy.onNoPermit(s(Policy.LOCAL_FIRST, 500_000, CLOUDS), 70_000);
    assertEquals(List.of("cheap"), ids(d), "of cheap (60 ms) and fast (30 ms), both in time, the cheapest tier");
    assertFalse(OffloadPolicy.onNoPermit(s(Policy.LOCAL_FIRST, 500_000, CLOUDS), 20_000).remote(), "none in time");
  }

  @Test
  void staticThresholdBaselineOffloadsWhenTheQueueIsLong() {
    var shortQ = new OffloadPolicy.Situation(Policy.LOCAL_FIRST, true, SLO, 0.8, 500_000, 3, 4, 1, CLOUDS, false);
    var longQ = new OffloadPolicy.Situation(Policy.LOCAL_FIRST, true, SLO, 0.8, 1_000, 5, 4, 1, CLOUDS, false);
    assertFalse(OffloadPolicy.decide(shortQ).remote());
    assertTrue(OffloadPolicy.decide(longQ).remote());
  }

  private static OffloadPolicy.Situation noObjective(double localUs, List<CostModel.Estimate> c, boolean offloading) {
    return new OffloadPolicy.Situation(Policy.LOCAL_FIRST, true, 0, 0.8, localUs, 3, 0, 1_000_000, c, offloading);
  }

  @Test
  void withoutAnObjectiveLocalFirstSendsTheRequestWherePredictedLatencyIsClearlyLowest() {
    List<CostModel.Estimate> cloud = List.of(estimate("c", 10_000, 0));
    Decision busy = OffloadPolicy.decide(noObjective(36_000, cloud, false));
    assertTrue(busy.remote(), "a local queue of 36 ms against an idle cloud at 10 ms");
    assertEquals("least-r", busy.reason());
    Decision idle = OffloadPolicy.decide(noObjective(2_000, cloud, false));
    assertFalse(idle.remote(), "an idle edge at 2 ms is faster than the cloud");
    assertEquals("least-r", idle.reason());
    assertFalse(OffloadPolicy.decide(noObjective(0, cloud, false)).remote(), "unknown local: measure it first");
  }

  @Test
  void withoutAnObjectiveTheChoiceHoldsWhileTheOtherSideIsNotClearlyBetter() {
    List<CostModel.Estimate> cloud = List.of(estimate("c", 10_000, 0));
    // within the band (10 ms vs 11 ms): each side keeps what it had
    assertFalse(OffloadPolicy.decide(noObjective(11_000, cloud, false)).remote(), "local holds");
    assertTrue(OffloadPolicy.decide(noObjective(11_000, cloud, true)).remote(), "cloud holds");
    assertTrue(OffloadPolicy.decide(noObjective(9_000, cloud, true)).remote(), "local 10 % faster: not enough");
    // beyond it, each switches
    assertTrue(OffloadPolicy.decide(noObjective(12_000, cloud, false)).remote());
    assertFalse(OffloadPolicy.decide(noObjective(8_000, cloud, true)).remote());
  }

  @Test
  void anObjectiveStillBoundsLocalFirst() {
    // local 40 ms meets 0.8 × 100 ms although the cloud's 10 ms is lower: the objective decides, as before
    assertFalse(OffloadPolicy.decide(s(Policy.LOCAL_FIRST, 40_000, List.of(estimate("c", 10_000, 0)))).remote());
  }
}
