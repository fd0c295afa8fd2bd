package io.coedge.rollout;

import static io.coedge.rollout.Rollouts.all;
import static io.coedge.rollout.Rollouts.edge;
import static io.coedge.rollout.Rollouts.node;
import static io.coedge.rollout.Rollouts.rollout;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coedge.cluster.HybridLogicalClock;
import io.coedge.cluster.NodeEntry;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class RolloutPlanTest {

  private static final List<NodeEntry> NODES = List.of(edge("e1"), edge("e2"), edge("e3"), edge("e4"),
      node("c1", "cloud", "cloud", true, false));

  @Test
  void everyMatchingNodeTargetsARolloutForAll() {
    RolloutPlan plan = RolloutPlan.of(List.of(all("r1", "2", "", 1000)));
    for (NodeEntry n : NODES) {
      assertEquals("2", plan.target("m", n.id(), NODES, List.of(), 1000).orElseThrow().rollout().version());
    }
    assertTrue(plan.target("other", "e1", NODES, List.of(), 1000).isEmpty());
  }

  @Test
  void dataRolloutsFormTheirOwnChainBesideTheModelsVersions() {
    RolloutRecord model = all("r1", "2", "", 1000);
    RolloutRecord data = new RolloutRecord("d1", "m", "7", Rollouts.SHA_A, RolloutRecord.Target.ALL,
        List.of(RolloutRecord.Stage.all()), RolloutRecord.Halt.DEFAULT, "", "cloud-1",
        new HybridLogicalClock.Timestamp(2000, 0), RolloutRecord.DATA);
    RolloutPlan plan = RolloutPlan.of(List.of(model, data));
    assertEquals(List.of(), plan.conflicts(), "a data rollout with no predecessor does not conflict with the model's");
    assertEquals("r1", plan.head("m").orElseThrow().id());
    assertEquals("d1", plan.head("m:data").orElseThrow().id());
    assertEquals(List.of("m", "m:data"), List.copyOf(plan.targets("e1", NODES, List.of(), 2000).keySet()));
  }

  @Test
  void stagesAdvanceWithTheInjectedClockAndGrowMonotonically() {
    RolloutRecord r = rollout("r1", "m", "2", "", 1000, List.of(new RolloutRecord.Stage(1, 0, 500),
        new RolloutRecord.Stage(0, 50, 500), RolloutRecord.Stage.all()));
    assertEquals(0, RolloutPlan.stage(r, 1000));
    assertEquals(0, RolloutPlan.stage(r, 1499));
    assertEquals(1, RolloutPlan.stage(r, 1500));
    assertEquals(2, RolloutPlan.stage(r, 2000));
    List<String> canary = RolloutPlan.selected(r, 0, NODES);
    List<String> half = RolloutPlan.selected(r, 1, NODES);
    List<String> every = RolloutPlan.selected(r, 2, NODES);
    assertEquals(1, canary.size());
    assertEquals(3, half.size());
    assertEquals(5, every.size());
    assertTrue(half.containsAll(canary));
    assertTrue(every.containsAll(half));
  }

  @Test
  void selectionDoesNotDependOnTheOrderOfTheNodeTable() {
    RolloutRecord r = rollout("r1", "m", "2", "", 0, List.of(new RolloutRecord.Stage(0, 40, 0)));
    List<NodeEntry> shuffled = new ArrayList<>(NODES);
    Collections.shuffle(shuffled, new Random(7));
    assertEquals(RolloutPlan.selected(r, 0, NODES), RolloutPlan.selected(r, 0, shuffled));
  }

  @Test
  void staleAndDrainingNodesAndOtherRolesAreNotTargeted() {
    List<NodeEntry> nodes = List.of(edge("e1"), node("e2", "edge", "s1", false, false),
        node("e3", "edge", "s1", true, true), node("c1", "cloud", "cloud", true, false));
    RolloutRecord r = new RolloutRecord("r1", "m", "2", Rollouts.SHA_B, new RolloutRecord.Target("edge", "", 100),
        List.of(RolloutRecord.Stage.all()), RolloutRecord.Halt.DEFAULT, "", "c1",
        new HybridLogicalClock.Timestamp(0, 0));
    assertEquals(List.of("e1"), RolloutPlan.selected(r, 0, nodes));
  }

  @Test
  void aRolloutMayTargetTheRegionalTierAlone() {
    List<NodeEntry> nodes = List.of(edge("e1"), node("r1", "regional", "s1", true, false),
        node("c1", "cloud", "cloud", true, false));
    RolloutRecord r = new RolloutRecord("r1", "m", "2", Rollouts.SHA_B, new RolloutRecord.Target("regional", "", 100),
        List.of(RolloutRecord.Stage.all()), RolloutRecord.Halt.DEFAULT, "", "c1",
        new HybridLogicalClock.Timestamp(0, 0));
    assertEquals(List.of("r1"), RolloutPlan.selected(r, 0, nodes));
  }

  @Test
  void nodesOutsideTheCanaryKeepThePreviousRolloutsTarget() {
    RolloutRecord first = all("r1", "1", "", 1000);
    RolloutRecord second = rollout("r2", "m", "2", "r1", 2000, List.of(new RolloutRecord.Stage(1, 0, 60_000),
        RolloutRecord.Stage.all()));
    RolloutPlan plan = RolloutPlan.of(List.of(second, first));
    String canary = RolloutPlan.selected(second, 0, NODES).get(0);
    for (NodeEntry n : NODES) {
      String expected = n.id().equals(canary) ? "2" : "1";
      assertEquals(expected, plan.target("m", n.id(), NODES, List.of(), 2000).orElseThrow().rollout().version(), n.id());
      assertEquals("2", plan.target("m", n.id(), NODES, List.of(), 62_000).orElseThrow().rollout().version(), n.id());
    }
  }

  @Test
  void rollbackIsANewerRecordNamingTheOldVersion() {
    RolloutPlan plan = RolloutPlan.of(List.of(all("r1", "1", "", 1000), all("r2", "2", "r1", 2000),
        all("r3", "1", "r2", 3000)));
    assertEquals("r3", plan.head("m").orElseThrow().id());
    assertEquals("1", plan.target("m", "e1", NODES, List.of(), 3000).orElseThrow().rollout().version());
    assertTrue(plan.conflicts().isEmpty());
  }

  @Test
  void twoRolloutsSupersedingTheSameOneConflictAndTheOlderWins() {
    RolloutRecord base = all("r1", "1", "", 1000);
    RolloutRecord older = all("r2", "2", "r1", 2000);
    RolloutRecord newer = all("r3", "3", "r1", 2001);
    RolloutPlan plan = RolloutPlan.of(List.of(newer, base, older));
    assertEquals("r2", plan.head("m").orElseThrow().id());
    assertEquals(List.of(new RolloutPlan.Conflict("m", "r1", "r2", List.of("r3"))), plan.conflicts());
    assertFalse(plan.effective(newer));
    assertEquals("2", plan.target("m", "e1", NODES, List.of(), 5000).orElseThrow().rollout().version());

    RolloutPlan resolved = RolloutPlan.of(List.of(newer, base, older, all("r4", "3", "r2", 4000)));
    assertTrue(resolved.conflicts().isEmpty());
    assertEquals("3", resolved.target("m", "e1", NODES, List.of(), 5000).orElseThrow().rollout().version());
  }

  @Test
  void aRecordWhosePredecessorIsNotKnownYetIsIgnored() {
    RolloutPlan plan = RolloutPlan.of(List.of(all("r2", "2", "r1", 2000)));
    assertTrue(plan.head("m").isEmpty());
    assertTrue(plan.target("m", "e1", NODES, List.of(), 5000).isEmpty());
  }

  @Test
  void theTargetPercentLimitsEveryStage() {
    RolloutRecord r = new RolloutRecord("r1", "m", "2", Rollouts.SHA_B, new RolloutRecord.Target("edge", "s1", 50),
        List.of(RolloutRecord.Stage.all()), RolloutRecord.Halt.DEFAULT, "", "c1",
        new HybridLogicalClock.Timestamp(0, 0));
    assertEquals(2, RolloutPlan.selected(r, 0, NODES).size());
  }

  @Test
  void aCanaryReportingFailedHaltsTheRolloutAtItsStageAndOthersKeepTheOldVersion() {
    RolloutRecord first = all("r1", "1", "", 1000);
    RolloutRecord second = rollout("r2", "m", "2", "r1", 2000, List.of(new RolloutRecord.Stage(1, 0, 1000),
        RolloutRecord.Stage.all()));
    RolloutPlan plan = RolloutPlan.of(List.of(first, second));
    String canary = RolloutPlan.selected(second, 0, NODES).get(0);
    List<NodeRollout> failed = List.of(new NodeRollout(canary, "m", "r2", "2", NodeRollout.State.FAILED, 0,
        "output is NaN", 2500));
    assertEquals(0, RolloutPlan.haltedAt(second, NODES, failed));
    assertEquals(0, RolloutPlan.stage(second, 10_000, NODES, failed));
    assertEquals(1, RolloutPlan.stage(second, 10_000, NODES, List.of()));
    for (NodeEntry n : NODES) {
      String expected = n.id().equals(canary) ? "2" : "1";
      assertEquals(expected, plan.target("m", n.id(), NODES, failed, 10_000).orElseThrow().rollout().version());
    }
    List<NodeRollout> serving = List.of(failed.get(0).to(NodeRollout.State.SERVING, 100, "", 2600));
    assertEquals(-1, RolloutPlan.haltedAt(second, NODES, serving));
  }
}
