package io.coedge.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coedge.inference.DataType;
import io.coedge.inference.SplitPoint;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Plans corrected by what their answers took, decaying and re-probed when stale; time from a {@link FakeClock}. */
class PlanHistoryTest {

  private static final String M = "traffic-counter-split";
  private static final SplitPoint B1 = new SplitPoint("b1", "mid_b1", List.of(8L, 24L, 24L), DataType.FP16, 0.01);
  private static final SplitPoint B2 = new SplitPoint("b2", "mid_b2", List.of(64L, 12L, 12L), DataType.FP32, 0);

  private final FakeClock clock = new FakeClock();
  private final PlanHistory history = new PlanHistory();

  private static Plan split(SplitPoint p, double headUs, double tailUs) {
    return Plan.split(p, headUs, Peers.estimate("cloud-1", tailUs, 0));
  }

  /** Ranks the corrected plans as the planner does (no objective); the choice's answer takes {@code took(label)}. */
  private Plan serve(List<Plan> plans, String previous, java.util.function.ToDoubleFunction<String> took) {
    Plan p = PlanRanker.choose(history.corrected(M, plans, clock.nanos()), previous, 0);
    history.observed(M, p.label(), p.modelUs(), took.applyAsDouble(p.label()), clock.nanos());
    clock.advanceMs(50);
    return p;
  }

  @Test
  void aChoiceThatProvesWrongIsLeftWithinAFewAnswers() {
    // the cost model says split@b1 takes 20 ms, local 30 ms; b1's answers really take 60 ms (its link is busier)
    List<Plan> plans = List.of(Plan.local(30_000), split(B1, 5_000, 15_000));
    List<String> taken = new ArrayList<>();
    String previous = null;
    for (int i = 0; i < 6; i++) {
      previous = serve(plans, previous, l -> l.equals("local") ? 30_000 : 60_000).label();
      taken.add(previous);
    }
    assertEquals(List.of("split@b1", "local", "local", "local", "local", "local"), taken);
    Plan b1 = history.corrected(M, plans, clock.nanos()).get(1);
    assertEquals(60_000, b1.predictedUs(), 3_000, "predicted R follows what b1's answers took");
    assertEquals(20_000, b1.modelUs(), 1e-9, "the cost model's own figure is kept beside it");
  }

  @Test
  void oneOddAnswerDoesNotMoveTheCorrection() {
    for (int i = 0; i < 4; i++) {
      history.observed(M, "local", 10_000, 10_000, clock.nanos());
    }
    history.observed(M, "local", 10_000, 80_000, clock.nanos()); // a collector pause
    assertEquals(1, history.ratio(M, "local", clock.nanos()), 1e-9);
  }

  @Test
  void theCorrectionIsBoundedAndDecaysBackToTheCostModelWhenNoAnswerRefreshesIt() {
    history.observed(M, "remote", 10_000, 1_000_000, clock.nanos());
    assertEquals(PlanHistory.MAX_RATIO, history.ratio(M, "remote", clock.nanos()), 1e-9);
    clock.advanceMs(PlanHistory.DECAY_NANOS / 1_000_000);
    double decayed = history.ratio(M, "remote", clock.nanos());
    assertEquals(1 + (PlanHistory.MAX_RATIO - 1) / Math.E, decayed, 1e-6);
    clock.advanceMs(10 * PlanHistory.DECAY_NANOS / 1_000_000);
    assertEquals(1, history.ratio(M, "remote", clock.nanos()), 1e-3);
  }

  @Test
  void aStalePlanCloseToTheChoiceIsReProbedOnceInNRequests() {
    Plan local = Plan.local(40_000);
    Plan b1 = split(B1, 5_000, 20_000); // 25 ms: the choice
    Plan b2 = split(B2, 20_000, 20_000); // 40 ms: within the band
    Plan remote = Plan.remote(900_000, List.of(Peers.estimate("cloud-1", 900_000, 0))); // far outside it
    List<Plan> plans = List.of(local, b1, b2, remote);
    for (Plan p : plans) {
      history.observed(M, p.label(), p.modelUs(), p.modelUs(), clock.nanos());
    }
    int probes = 0;
    List<String> probed = new ArrayList<>();
    for (int i = 0; i < 100; i++) { // 5 s at one request per 50 ms
      Plan probe = history.probe(M, plans, b1, clock.nanos());
      if (probe != null) {
        probes++;
        probed.add(probe.label());
        history.observed(M, probe.label(), probe.modelUs(), probe.modelUs(), clock.nanos());
      }
      history.observed(M, b1.label(), b1.modelUs(), b1.modelUs(), clock.nanos());
      clock.advanceMs(50);
    }
    assertTrue(probed.stream().allMatch(l -> l.equals("local") || l.equals("split@b2")), probed.toString());
    assertTrue(probed.contains("local") && probed.contains("split@b2"), "both close plans re-probed: " + probed);
    assertFalse(probed.contains("remote"), "a plan far worse than the choice is never probed");
    // stale after 2 s, one probe at a time: 2 s / 50 ms = 40 requests before the first, then the other soon after
    assertTrue(probes >= 2 && probes <= 100 / PlanHistory.PROBE_EVERY, probes + " probes in 100 requests");
  }

  @Test
  void aStalePlanHeldOutOfTheBandOnlyByItsOldRatioIsProbedAgain() {
    Plan local = Plan.local(30_000);
    Plan remote = Plan.remote(20_000, List.of(Peers.estimate("cloud-1", 20_000, 0)));
    history.observed(M, remote.label(), 20_000, 900_000, clock.nanos()); // a slow link then: ratio at the bound
    clock.advanceMs(PlanHistory.STALE_NANOS / 1_000_000); // the link is fast again, nobody sent anything
    List<Plan> corrected = history.corrected(M, List.of(local, remote), clock.nanos());
    assertTrue(corrected.get(1).predictedUs() > PlanHistory.PROBE_BAND * 30_000, corrected.toString());
    Plan probe = null;
    for (int i = 0; i < PlanHistory.PROBE_EVERY && probe == null; i++) {
      history.observed(M, "local", 30_000, 30_000, clock.nanos());
      probe = history.probe(M, corrected, corrected.get(0), clock.nanos());
    }
    assertEquals("remote", probe == null ? null : probe.label(), "the cost model's 20 ms is within the band");
  }

  @Test
  void aPlanNeverAnsweredIsStaleAndNothingIsProbedWhileEveryCloseOneIsFresh() {
    Plan b1 = split(B1, 5_000, 20_000);
    assertTrue(history.stale(M, "split@b2", clock.nanos()));
    history.observed(M, "local", 30_000, 30_000, clock.nanos());
    List<Plan> plans = List.of(Plan.local(30_000), b1);
    for (int i = 0; i < 3 * PlanHistory.PROBE_EVERY; i++) {
      assertNull(history.probe(M, plans, b1, clock.nanos()), "local answered " + i * 10 + " ms ago");
      clock.advanceMs(10);
    }
  }
}
