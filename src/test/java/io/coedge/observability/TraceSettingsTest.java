package io.coedge.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coedge.observability.TraceSettings.Level;
import io.coedge.observability.TraceSettings.Values;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Which requests are traced: the ratio as Triton's rate, parent-based decisions, counts, per-model overrides. */
class TraceSettingsTest {

  /** A random source that answers {@code draws} in turn and records the bounds it was asked for. */
  private static final class Draws {
    final List<Integer> bounds = new ArrayList<>();
    final AtomicInteger next = new AtomicInteger();
    final int[] draws;

    Draws(int... draws) {
      this.draws = draws;
    }

    int draw(int bound) {
      bounds.add(bound);
      return draws[next.getAndIncrement() % draws.length];
    }
  }

  @Test
  void aRatioBecomesOneInRoundedInverseAndOnlyADrawOfZeroStartsATrace() {
    Draws d = new Draws(0, 3, 1, 0);
    TraceSettings s = new TraceSettings(0.25, d::draw);
    assertEquals(new Values(Level.TIMESTAMPS, 4, -1L), s.global());
    List<Boolean> sampled = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      sampled.add(s.sample("m", null));
    }
    assertEquals(List.of(true, false, false, true), sampled);
    assertEquals(List.of(4, 4, 4, 4), d.bounds);
    assertEquals(3, new TraceSettings(0.3).global().rate(), "0.3 is one in 3");
  }

  @Test
  void theCallersDecisionIsFollowedWithoutADraw() {
    Draws d = new Draws(1);
    TraceSettings s = new TraceSettings(0, d::draw);
    assertEquals(0, s.global().rate());
    assertFalse(s.sample("m", null), "ratio 0 starts no trace");
    assertTrue(s.sample("m", true), "a sampled parent is followed");
    assertFalse(new TraceSettings(1, d::draw).sample("m", false), "an unsampled parent is followed");
    assertEquals(List.of(), d.bounds);
    s.setGlobal(new Values(Level.OFF, null, null));
    assertFalse(s.sample("m", true), "level OFF outranks the parent");
  }

  @Test
  void aCountEndsTracingAfterThatManyTracesAndAModelCountsOnItsOwn() {
    TraceSettings s = new TraceSettings(1);
    s.setGlobal(new Values(null, null, 2L));
    s.setModel("own", new Values(null, null, 1L));
    assertTrue(s.sample("m", null));
    assertTrue(s.sample("own", null));
    assertFalse(s.sample("own", null), "own's count of 1 is used");
    assertTrue(s.sample("m", null));
    assertFalse(s.sample("m", true), "the global count of 2 is used, even for a sampled parent");
    assertEquals(0L, s.global().count());
    assertEquals(0L, s.of("own").count());
  }

  @Test
  void aModelsOverridesApplyToItAloneAndClearingThemRestoresTheGlobalValues() {
    TraceSettings s = new TraceSettings(1);
    s.setModel("quiet", new Values(Level.OFF, null, null));
    assertFalse(s.sample("quiet", true));
    assertTrue(s.sample("other", null));
    assertEquals(new Values(Level.OFF, 1, -1L), s.of("quiet"), "its level, the global rate and count");
    assertEquals(new Values(Level.OFF, null, null), s.overrides("quiet"));
    s.setModel("quiet", new Values(null, null, null));
    assertTrue(s.sample("quiet", null));
    s.setGlobal(new Values(Level.OFF, 50, 3L));
    s.setGlobal(new Values(null, null, null));
    assertEquals(new Values(Level.TIMESTAMPS, 1, -1L), s.global(), "nulls return to the start values");
  }
}
