package io.coedge.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CalibrationTest {

  static final ModelLoad IDLE = new ModelLoad(0, 0, 100, 1, 2, 0);
  static final ModelLoad BUSY = new ModelLoad(3, 2, 100, 1, 2, 0); // queueing shape: (5 - 2 + 1) * 100 / 2 + 100 - 100 / 4 = 275 µs

  @Test
  void anIdleAnswerTeachesThePathCostAndABusyOneTheQueueFactor() {
    Calibration c = new Calibration();
    assertEquals(100, c.estimateUs(IDLE, IDLE.queueingUs()), 1e-9, "nothing learnt: the queueing shape");
    c.observed(IDLE, 150);
    assertEquals(50, c.pathUs(), 1e-9, "the first answer seeds it");
    assertEquals(150, c.estimateUs(IDLE, IDLE.queueingUs()), 1e-9);
    assertEquals(275, BUSY.queueingUs(), 1e-9);
    c.observed(BUSY, 50 + 2 * 275);
    assertEquals(2, c.queueFactor(), 1e-9, "beyond the path cost it took twice the shape");
    assertEquals(2 * 275 + 50, c.estimateUs(BUSY, BUSY.queueingUs()), 1e-9);
    assertEquals(150, c.estimateUs(IDLE, IDLE.queueingUs()), 1e-9, "the idle estimate is not scaled");
  }

  @Test
  void answersWithoutAnEstimateTeachNothing() {
    Calibration c = new Calibration();
    c.observed(new ModelLoad(0, 0, 0, 0, 1, 0), 500);
    c.observed(IDLE, 0);
    assertEquals(0, c.pathUs());
    assertEquals(1, c.queueFactor());
  }

  @Test
  void rareSlowAnswersMoveTheMedianOneStepButASteadyChangeMovesItAll() {
    Calibration c = new Calibration();
    for (int i = 0; i < 400; i++) {
      c.observed(IDLE, i % 20 == 0 ? 20_000 : 150); // one answer in 20 hit a 20 ms pause
    }
    assertTrue(c.pathUs() < 100, "the median path cost is 50 µs, learnt " + c.pathUs());
    for (int i = 0; i < 200; i++) {
      c.observed(IDLE, 400);
    }
    assertTrue(Math.abs(c.pathUs() - 300) < 0.15 * 300, "learnt " + c.pathUs());
  }

  @Test
  void theSnapshotsEstimateUsesTheLearntFigureButNeverLessThanHalfTheShape() {
    assertEquals(100, IDLE.estimateUs(), 1e-9, "nothing learnt");
    assertEquals(170, new ModelLoad(0, 0, 100, 1, 2, 0, 170).estimateUs(), 1e-9);
    assertEquals(50, new ModelLoad(0, 0, 100, 1, 2, 0, 10).estimateUs(), 1e-9);
    assertEquals(0, new ModelLoad(0, 0, 0, 0, 1, 0, 170).estimateUs(), "unknown stays unknown");
  }
}
