package io.coedge.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coedge.cluster.NodeEntry;
import io.coedge.cluster.NodeRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Canary analysis on node tables built by hand: which figures halt a rollout and which do not. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class CanaryAnalysisTest {

  private static final String SHA = "c".repeat(64);
  private final RolloutRecord r = Rollouts.rollout("r2", "m", "2", "r1", 1_000, List.of(
      new RolloutRecord.Stage(1, 0, 60_000), RolloutRecord.Stage.all()));

  /** Three edges: the canary serves version 2 with the given figures, the other two version 1 with theirs. */
  private List<NodeEntry> table(long okNew, long failedNew, double p99New, long okOld, long failedOld,
      double p99Old) {
    String canary = RolloutPlan.selected(r, 0, List.of(bare("e1"), bare("e2"), bare("e3"))).get(0);
    List<NodeEntry> out = new ArrayList<>();
    for (String id : List.of("e1", "e2", "e3")) {
      NodeRecord.Model m = id.equals(canary)
          ? new NodeRecord.Model("m", "2", SHA, true, 1, 0, 0, 1, 1, 1, okNew, failedNew, p99New, "")
          : new NodeRecord.Model("m", "1", SHA, true, 1, 0, 0, 1, 1, 1, okOld / 2, failedOld / 2, p99Old, "");
      out.add(new NodeEntry(new NodeRecord(id, "", "edge", "s1", "http://127.0.0.1:1", "t", false, 1, 0,
          List.of(m)), 0, true));
    }
    return out;
  }

  private static NodeEntry bare(String id) {
    return Rollouts.edge(id);
  }

  @Test
  void aCanaryFailingMoreThanTheOldVersionPlusTheAllowanceHaltsTheRollout() {
    Optional<String> v = CanaryAnalysis.verdict(r, 0, table(90, 10, 1_000, 1_000, 0, 1_000));
    assertTrue(v.isPresent());
    assertTrue(v.get().contains("error rate 10.0 % (10 of 100)"), v.get());
  }

  @Test
  void aCanaryWithinTheAllowanceOverTheOldErrorRateGoesOn() {
    // 5 % new against 4.5 % old: 0.5 points more, the default allows 1
    assertEquals(Optional.empty(), CanaryAnalysis.verdict(r, 0, table(950, 50, 1_000, 1_910, 90, 1_000)));
  }

  @Test
  void aCanaryWhoseP99IsMoreThanTheRatioOfTheOldHaltsTheRollout() {
    Optional<String> v = CanaryAnalysis.verdict(r, 0, table(100, 0, 5_000, 1_000, 0, 2_000));
    assertTrue(v.isPresent());
    assertTrue(v.get().contains("p99 5.00 ms is 2.5 x the old version's 2.00 ms"), v.get());
    assertEquals(Optional.empty(), CanaryAnalysis.verdict(r, 0, table(100, 0, 3_900, 1_000, 0, 2_000)));
  }

  @Test
  void tooFewCanaryRequestsGiveNoVerdict() {
    assertEquals(Optional.empty(), CanaryAnalysis.verdict(r, 0, table(10, 39, 50_000, 1_000, 0, 1_000)));
  }

  @Test
  void tooFewOldRequestsGiveNoLatencyVerdictButStillAnErrorVerdict() {
    assertEquals(Optional.empty(), CanaryAnalysis.verdict(r, 0, table(100, 0, 50_000, 20, 0, 1_000)));
    assertTrue(CanaryAnalysis.verdict(r, 0, table(50, 50, 1_000, 0, 0, 0)).isPresent());
  }

  @Test
  void aStageWithNoNodeLeftOnTheOldVersionIsNotAnalysed() {
    List<NodeEntry> all = new ArrayList<>();
    for (NodeEntry n : table(50, 50, 1_000, 1_000, 0, 1_000)) {
      all.add(new NodeEntry(new NodeRecord(n.id(), "", "edge", "s1", "http://127.0.0.1:1", "t", false, 1, 0,
          List.of(new NodeRecord.Model("m", "2", SHA, true, 1, 0, 0, 1, 1, 1, 50, 50, 1_000, ""))), 0, true));
    }
    assertEquals(Optional.empty(), CanaryAnalysis.verdict(r, 1, all));
  }
}
