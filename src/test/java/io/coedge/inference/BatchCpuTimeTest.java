package io.coedge.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The batch tuner learns from a batch's CPU time: on a shared box a worker's batch takes far longer than it costs
 * while the worker waits for a core, and halving the cap for that wait only adds runs (the 64-connection collapse to
 * one row per batch on a busy machine). A batch that really costs too much still halves it.
 */
class BatchCpuTimeTest {

  private static final long US = 1000;

  /**
   * A queue whose first batches were one row of 1 ms (warm-up, then the smallest batch: the bound is 10 ms), then
   * {@code batches} full batches of 100 + 10 µs a row of CPU that took {@code waitFactor} times that, or 5 ms a row,
   * whichever is longer, on the clock.
   */
  private static ModelQueue run(boolean cpuIsWall, int batches) {
    ModelQueue q = new ModelQueue(new SchedulerTest.Doubler(64, 0, 256, null, null), 0);
    q.recordBatch(1, 1000 * US, 1000 * US, 1, false); // warm-up: not measured
    q.recordBatch(1, 1000 * US, 1000 * US, 2, false);
    for (int i = 0; i < batches; i++) {
      int rows = q.tuner.cap();
      long cpu = (100 + 10L * rows) * US;
      long wall = 5000 * US * rows; // waiting for a core: 5 ms a row
      q.recordBatch(rows, wall, cpuIsWall ? wall : cpu, 3 + i, true);
    }
    return q;
  }

  @Test
  void waitingForACoreDoesNotShrinkTheCapWhileBatchingPays() {
    assertEquals(64, run(false, 400).tuner.cap(), "per-row CPU falls with every doubling: up to the ceiling");
  }

  @Test
  void aBatchThatCostsMoreThanTheBoundStillHalvesTheCap() {
    int cap = run(true, 400).tuner.cap();
    assertTrue(cap < 8, "40 ms of CPU at 8 rows is over the 10 ms bound: the cap shrinks from 8, got " + cap);
  }
}
