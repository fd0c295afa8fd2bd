package io.coedge.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.coedge.inference.DataType;
import io.coedge.inference.SplitPoint;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Plan ranking on fixed estimates (µs): least R, hysteresis, objectives. */
class PlanRankerTest {

  private static final SplitPoint B1 = new SplitPoint("b1", "mid_b1", List.of(8L, 24L, 24L), DataType.FP16, 0.01);
  private static final SplitPoint B2 = new SplitPoint("b2", "mid_b2", List.of(64L, 12L, 12L), DataType.FP32, 0);

  private static Plan split(SplitPoint p, double headUs, double tailUs) {
    return Plan.split(p, headUs, Peers.estimate("cloud-1", tailUs, 0));
  }

  private static Plan remote(double us) {
    return Plan.remote(us, List.of(Peers.estimate("cloud-1", us, 0)));
  }

  @Test
  void theLeastPredictedRWinsWithoutAnObjective() {
    List<Plan> plans = List.of(Plan.local(40_000), remote(30_000), split(B1, 3_000, 12_000), split(B2, 9_000, 9_000));
    Plan p = PlanRanker.choose(plans, null, 0);
    assertEquals("split@b1", p.label());
    assertEquals(15_000, p.predictedUs(), 1e-9);
    assertEquals(3_000, p.headUs(), 1e-9);
  }

  @Test
  void aSlowLinkMakesEveryPlanThatSendsMoreExpensiveThanLocal() {
    // 1 Mbit/s: a 110 kB frame takes ~0.9 s, the 9 kB b1 tensor ~74 ms
    List<Plan> plans = List.of(Plan.local(20_000), remote(900_000), split(B1, 3_000, 80_000));
    assertEquals("local", PlanRanker.choose(plans, null, 0).label());
  }

  @Test
  void thePreviousPlanHoldsUntilAnotherIsLowerByTheHysteresis() {
    List<Plan> close = List.of(Plan.local(10_000), split(B1, 2_000, 7_400));
    assertEquals("local", PlanRanker.choose(close, "local", 0).label(), "9.4 ms is not 8 % below 10 ms");
    assertEquals("split@b1", PlanRanker.choose(close, "split@b1", 0).label(), "nor is 10 ms 8 % below 9.4 ms");
    List<Plan> clear = List.of(Plan.local(10_000), split(B1, 2_000, 7_000));
    assertEquals("split@b1", PlanRanker.choose(clear, "local", 0).label(), "9 ms * 1.08 < 10 ms");
  }

  @Test
  void aHeldPlanThatHasNoCandidateAnyMoreIsLeft() {
    List<Plan> plans = List.of(Plan.local(10_000), remote(20_000));
    assertEquals("local", PlanRanker.choose(plans, "split@b1", 0).label());
  }

  @Test
  void anUnmeasuredLocalEstimateKeepsTheRequestLocal() {
    assertEquals("local", PlanRanker.choose(List.of(Plan.local(0), remote(1_000)), null, 0).label());
  }

  @Test
  void withAnObjectiveLocalServesWhileItMeetsIt() {
    List<Plan> plans = List.of(Plan.local(40_000), remote(10_000), split(B1, 2_000, 3_000));
    assertEquals("local", PlanRanker.choose(plans, null, 50_000).label());
  }

  @Test
  void withAnObjectiveLocalMissesTheLeastRThatMeetsItWins() {
    List<Plan> plans = List.of(Plan.local(90_000), remote(45_000), split(B2, 10_000, 20_000));
    assertEquals("split@b2", PlanRanker.choose(plans, null, 50_000).label());
    assertEquals("split@b2", PlanRanker.choose(plans, null, 10_000).label(), "none meets it: the least R");
  }

  @Test
  void theLocalPlanComesFirst() {
    assertThrows(IllegalArgumentException.class, () -> PlanRanker.choose(List.of(remote(1), Plan.local(2)), null, 0));
  }
}
