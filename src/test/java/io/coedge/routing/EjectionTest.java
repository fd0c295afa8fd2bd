package io.coedge.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Envoy-style outlier ejection of a hung or failing cloud node, on an injected clock: ejected after 5 failures in a
 * row for base × n, readmitted early by an answered health probe, then a slow start (probation) in which one failure
 * ejects it again; and the per-attempt timeout derived from the predicted response time.
 */
class EjectionTest {

  private static final long BASE_MS = 30_000;

  private final FakeClock clock = new FakeClock();
  private final CostModel model = new CostModel(Peers.defaults(), clock);
  private final Random random = new Random(7);
  private final PeerSelector selector = new PeerSelector(model, clock, random::nextInt, BASE_MS);
  private final List<CostModel.Estimate> pool = new ArrayList<>();

  EjectionTest() {
    for (int i = 0; i < 2; i++) {
      pool.add(model.remote(Peers.cloud("n" + i, clock.millis(), 0, 2_000, 1), "m", "1", 100));
    }
  }

  private void failFiveTimes(String id) {
    for (int i = 0; i < PeerState.FAILURES_TO_EJECT; i++) {
      selector.failure(id, true);
    }
  }

  /** n1 ejected once, and back for 100 ms: on probation. */
  private void onProbation() {
    failFiveTimes("n1");
    clock.advanceMs(BASE_MS + 100);
  }

  private int picksOf(String id, int calls) {
    int n = 0;
    for (int i = 0; i < calls; i++) {
      n += selector.eligible(pool).stream().filter(e -> e.id().equals(id)).count();
    }
    return n;
  }

  @Test
  void fiveFailuresInARowEjectForTheBaseTimeAndTheHealthyNodeKeepsEveryCall() {
    failFiveTimes("n1");
    assertTrue(selector.ejected("n1"));
    assertEquals(1000, picksOf("n0", 1000), "the healthy node stays eligible on every call");
    assertEquals(0, picksOf("n1", 1000));
    clock.advanceMs(BASE_MS - 1);
    assertTrue(selector.ejected("n1"));
    clock.advanceMs(1);
    assertFalse(selector.ejected("n1"));
  }

  @Test
  void backFromEjectionANodeRampsUpOverItsProbationThenTakesEveryCall() {
    failFiveTimes("n1");
    clock.advanceMs(BASE_MS + PeerState.PROBATION_MS / 4);
    int quarter = picksOf("n1", 4000);
    clock.advanceMs(PeerState.PROBATION_MS / 2);
    int threeQuarters = picksOf("n1", 4000);
    clock.advanceMs(PeerState.PROBATION_MS / 4);
    int full = picksOf("n1", 4000);
    assertTrue(quarter > 700 && quarter < 1300, "about a quarter early in probation: " + quarter);
    assertTrue(threeQuarters > 2700 && threeQuarters < 3300, "about three quarters later: " + threeQuarters);
    assertEquals(4000, full, "every call once probation is over");
  }

  @Test
  void oneFailureOnProbationEjectsAgainForTwiceTheBase() {
    onProbation();
    selector.failure("n1", true);
    assertTrue(selector.ejected("n1"), "a single failure on probation is enough");
    clock.advanceMs(2 * BASE_MS - 1);
    assertTrue(selector.ejected("n1"), "the second ejection lasts 2 × base");
    clock.advanceMs(1);
    assertFalse(selector.ejected("n1"));
  }

  @Test
  void theEjectionMultiplierDecaysByOneForEachBaseTimeTheNodeStayedIn() {
    onProbation();
    selector.failure("n1", true); // 2nd ejection: 2 × base
    clock.advanceMs(2 * BASE_MS + PeerState.PROBATION_MS + 2 * BASE_MS); // then in for 2 base times + probation
    failFiveTimes("n1");
    assertTrue(selector.ejected("n1"));
    clock.advanceMs(BASE_MS);
    assertFalse(selector.ejected("n1"), "back to 1 × base, not 3 ×: the failures were long apart");
  }

  @Test
  void anAnsweredProbeReadmitsAfterNTimesTheProbeDelayNotBefore() {
    failFiveTimes("n1");
    PeerState peer = model.peer("n1");
    clock.advanceMs(PeerState.PROBE_READMIT_MS - 1);
    assertFalse(peer.probeAnswered(clock.millis()), "too early: a node that just failed 5 times stays out");
    assertTrue(selector.ejected("n1"));
    clock.advanceMs(1);
    assertTrue(peer.probeAnswered(clock.millis()));
    assertFalse(selector.ejected("n1"), "readmitted long before the 30 s base");
    assertTrue(peer.probation(clock.millis()) < 0.1, "on probation: a small share of calls first");
    selector.failure("n1", true);
    assertTrue(selector.ejected("n1"), "and ejected again at its first failure");
    clock.advanceMs(PeerState.PROBE_READMIT_MS);
    assertFalse(peer.probeAnswered(clock.millis()), "the 2nd ejection needs 2 × the probe delay");
    clock.advanceMs(PeerState.PROBE_READMIT_MS);
    assertTrue(peer.probeAnswered(clock.millis()));
  }

  @Test
  void aFailureThatIsNotTheNodesFaultDoesNotEjectOnProbation() {
    onProbation();
    selector.failure("n1", false);
    assertFalse(selector.ejected("n1"), "a 4xx (the request's fault) says nothing about the node");
  }

  @Test
  void anAttemptWaitsFourTimesThePredictionWithinAFloorAndTheDeadline() {
    assertEquals(150_000, Offloader.attemptUs(20_000, 300_000), "at least half of what is left");
    assertEquals(240_000, Offloader.attemptUs(60_000, 300_000), "4 × R when that is more");
    assertEquals(Offloader.MIN_ATTEMPT_US, Offloader.attemptUs(1_000, 60_000), "never below the floor");
    assertEquals(90_000, Offloader.attemptUs(50_000, 90_000), "never beyond what is left of the deadline");
  }
}
