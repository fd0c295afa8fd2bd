package io.coedge.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.function.IntToLongFunction;
import org.junit.jupiter.api.Test;

/** The batch cap converges on synthetic models whose cost per batch size is known. */
class BatchTunerTest {

  private static final long US = 1000;

  /** Runs {@code batches} full batches at whatever cap the tuner sets, under a demand that always fills it. */
  private static BatchTuner drive(BatchTuner t, IntToLongFunction cost, int batches) {
    for (int i = 0; i < batches; i++) {
      int rows = t.cap();
      t.observe(rows, cost.applyAsLong(rows), true);
    }
    return t;
  }

  @Test
  void capGrowsWhileBatchingPaysAndStopsWhereTheGainFades() {
    // 50 µs fixed + 10 µs per row: per-row cost 16.3 (8), 13.1 (16), 11.6 (32), 10.8 (64) µs.
    // 32 -> 64 saves 6.7 % (< 8 %): the cap settles at 32.
    BatchTuner t = drive(new BatchTuner(128, 0), rows -> (50 + 10L * rows) * US, 400);
    assertEquals(32, t.cap());
  }

  @Test
  void capClimbsToTheCeilingWhenEveryDoublingPaysOff() {
    // A large fixed cost per run (memory-bound weights read once per batch): doubling always pays.
    BatchTuner t = drive(new BatchTuner(64, 0), rows -> (1000 + 5L * rows) * US, 400);
    assertEquals(64, t.cap());
  }

  @Test
  void capStaysPutWhenBatchingGivesNothing() {
    // Cost proportional to rows: a doubled cap is tried, gives no gain and is dropped again.
    BatchTuner t = drive(new BatchTuner(256, 0), rows -> 100L * rows * US, 400);
    assertEquals(8, t.cap());
  }

  @Test
  void objectiveBoundsTheBatch() {
    // Objective 1 ms: one batch may take 500 µs. 200 + 5·b µs: doubling keeps paying (64 rows would save 28 %
    // per row over 32) but 64 rows take 520 µs, over the bound; 32 rows take 360 µs.
    BatchTuner t = drive(new BatchTuner(1024, 1000 * US), rows -> (200 + 5L * rows) * US, 400);
    assertEquals(32, t.cap());
  }

  @Test
  void withoutObjectiveTheBoundIsTenTimesTheSmallestBatchButAtLeastTwoMs() {
    BatchTuner t = new BatchTuner(64, 0);
    assertEquals(BatchTuner.MIN_BOUND_NANOS, t.boundNanos());
    t.observe(8, 1000 * US, false);
    assertEquals(10_000 * US, t.boundNanos(), "from the 8-row batch, the smallest seen");
    t.observe(1, 100 * US, false);
    assertEquals(BatchTuner.MIN_BOUND_NANOS, t.boundNanos(), "a single row took 0.1 ms: the 2 ms floor");
  }

  @Test
  void aLargeFirstBatchDoesNotStopBatching() {
    // The first batches seen are full 32-row ones at 43 ms (1.3 ms per row): the bound must come from the batch's
    // time, not its per-row cost, or the cap would be halved at once.
    BatchTuner t = new BatchTuner(32, 0);
    t.observe(8, 40_800 * US, true);
    assertEquals(8, t.cap());
    drive(t, rows -> (40_000 + 100L * rows) * US, 200);
    assertEquals(32, t.cap());
  }

  @Test
  void aBatchSlowerThanTheBoundHalvesTheCap() {
    BatchTuner t = new BatchTuner(64, 2000 * US);
    assertEquals(8, t.cap());
    t.observe(8, 1500 * US, true); // over the 1 ms bound
    assertEquals(4, t.cap());
  }

  @Test
  void batchesTheCapDidNotLimitTeachNothingAboutTheCap() {
    BatchTuner t = new BatchTuner(64, 0);
    for (int i = 0; i < 1000; i++) {
      t.observe(3, 60 * US, false);
    }
    assertEquals(8, t.cap());
  }

  @Test
  void aSettledCapIsTriedAgainWhenTheCostCurveChanges() {
    BatchTuner t = drive(new BatchTuner(64, 0), rows -> 100L * rows * US, 400);
    assertEquals(8, t.cap());
    // The model became dominated by a fixed per-run cost (e.g. another tenant left the memory bus).
    drive(t, rows -> (2000 + 5L * rows) * US, BatchTuner.REPROBE_AFTER + 400);
    assertEquals(64, t.cap());
  }

  @Test
  void neverExceedsTheCeiling() {
    BatchTuner t = drive(new BatchTuner(5, 0), rows -> (1000 + rows) * US, 400);
    assertEquals(5, t.cap());
    assertThrows(IllegalArgumentException.class, () -> new BatchTuner(0, 0));
  }
}
