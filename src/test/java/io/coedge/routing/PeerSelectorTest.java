package io.coedge.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PeerSelectorTest {

  private final FakeClock clock = new FakeClock();
  private final CostModel model = new CostModel(Peers.defaults(), clock);
  private final Random random = new Random(42);
  private final PeerSelector selector = new PeerSelector(model, clock, random::nextInt, 30_000);

  private List<CostModel.Estimate> nodes(int n) {
    List<CostModel.Estimate> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(model.remote(Peers.cloud("n" + i, clock.millis(), 0, 2_000, 1), "m", "1", 100));
    }
    return out;
  }

  @Test
  void powerOfTwoChoicesSpreadsEqualNodesWithoutHerding() {
    List<CostModel.Estimate> pool = nodes(4);
    Map<String, Integer> picks = new HashMap<>();
    for (int i = 0; i < 4000; i++) {
      picks.merge(selector.pick(pool).id(), 1, Integer::sum);
    }
    picks.values().forEach(n -> assertTrue(n > 700 && n < 1300, "picks " + picks));
    assertNull(selector.pick(List.of()));
  }

  @Test
  void theLessLoadedOfTwoWins() {
    var idle = model.remote(Peers.cloud("idle", clock.millis(), 0, 2_000, 1), "m", "1", 100);
    var busy = model.remote(Peers.cloud("busy", clock.millis(), 9, 2_000, 1), "m", "1", 100);
    for (int i = 0; i < 50; i++) {
      assertEquals("idle", selector.pick(List.of(busy, idle)).id());
    }
  }

  @Test
  void aFastErrorIsPenalisedAndThePenaltyFadesWithTime() {
    List<CostModel.Estimate> pool = nodes(2);
    selector.failure("n0", true);
    assertEquals("n1", selector.pick(pool).id(), "a 503 is not a fast node");
    clock.advanceMs(20_000);
    double after = selector.score(pool.get(0));
    assertEquals(selector.score(pool.get(1)), after, 100, "faded back to the model's figure");
  }

  @Test
  void fiveFailuresInARowEjectForThirtySecondsTimesN() {
    List<CostModel.Estimate> pool = nodes(10);
    for (int i = 0; i < 4; i++) {
      selector.failure("n0", true);
    }
    assertFalse(selector.ejected("n0"));
    selector.failure("n0", true);
    assertTrue(selector.ejected("n0"));
    assertEquals(9, selector.eligible(pool).size());
    clock.advanceMs(30_001);
    assertFalse(selector.ejected("n0"), "back after 30 s");
    for (int i = 0; i < 5; i++) {
      selector.failure("n0", true);
    }
    clock.advanceMs(59_000);
    assertTrue(selector.ejected("n0"), "second ejection: 60 s");
  }

  @Test
  void aNodeWhoseLastTwoCallsWentUnansweredIsNoCandidateForTwoSeconds() {
    List<CostModel.Estimate> pool = nodes(3);
    selector.failure("n1", true); // two 503 answers in a row: answered, so still a candidate (its penalty steers)
    selector.failure("n1", true);
    assertEquals(3, selector.eligible(pool).size());
    for (int i = 0; i < 2; i++) { // n0: two calls in a row got no answer in 150 ms
      selector.failure("n0", true);
      model.unanswered(pool.get(0), 150_000);
    }
    assertEquals(List.of("n1", "n2"), selector.eligible(pool).stream().map(CostModel.Estimate::id).toList());
    clock.advanceMs(2_001);
    assertEquals(3, selector.eligible(pool).size(), "two seconds later it is tried again");
    selector.failure("n0", true); // no answer again: its streak goes on
    model.unanswered(pool.get(0), 150_000);
    assertEquals(2, selector.eligible(pool).size());
    model.observed("n0", "m", 25_000, 0, 2_000, 100, 100); // an answer ends the streak
    assertEquals(3, selector.eligible(pool).size());
  }

  @Test
  void aSuccessResetsTheFailureCount() {
    nodes(10);
    for (int i = 0; i < 4; i++) {
      selector.failure("n0", true);
    }
    model.observed("n0", "m", 25_000, 0, 2_000, 100, 100);
    selector.failure("n0", true);
    assertFalse(selector.ejected("n0"));
  }

  @Test
  void neverMoreThanTenPercentOfNodesAreEjectedAtOnceAndAlwaysAtLeastOneMay() {
    List<CostModel.Estimate> pool = nodes(20);
    selector.eligible(pool); // the selector learns how many nodes there are from the candidates it is shown
    for (String id : List.of("n0", "n1", "n2")) {
      for (int i = 0; i < 5; i++) {
        selector.failure(id, true);
      }
    }
    assertEquals(18, selector.eligible(pool).size(), "2 of 20 ejected, the third kept");
    PeerSelector small = new PeerSelector(new CostModel(Peers.defaults(), clock), clock, random::nextInt, 30_000);
    small.eligible(nodes(2));
    for (int i = 0; i < 5; i++) {
      small.failure("n0", true);
      small.failure("n1", true);
    }
    assertTrue(small.ejected("n0") ^ small.ejected("n1"), "one of two may be ejected, not both");
  }
}
