package io.coedge.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which queue a free worker serves next: expiry first, the earliest ready head, priority on a tie. */
class NextBatchTest {

  private final List<Throwable> failures = new ArrayList<>();

  private static ModelQueue queue(long delayUs) {
    return new ModelQueue(new SchedulerTest.Doubler(8, delayUs, 16, null, null), 0);
  }

  private Job job(ModelQueue q, long enqueued, long deadline, int priority) {
    Job j = new Job(SchedulerTest.request(1, priority), q.model, enqueued, deadline, priority, enqueued, 1,
        (r, e) -> failures.add(e));
    q.add(j, enqueued);
    return j;
  }

  @Test
  void emptyQueuesPickNothing() {
    NextBatch next = new NextBatch();
    next.pick(List.of(queue(0), queue(0)), 100);
    assertNull(next.queue);
  }

  @Test
  void overdueJobsFailAsOverloadedBeforeAnythingIsPicked() {
    ModelQueue q = queue(0);
    job(q, 10, 50, 5);
    NextBatch next = new NextBatch();
    next.pick(List.of(q), 50);
    assertNull(next.queue, "the only job expired");
    assertEquals(1, failures.size());
    assertInstanceOf(InferenceException.Overloaded.class, failures.get(0));
  }

  @Test
  void onATieTheHigherPriorityHeadWinsAndItRunsNow() {
    ModelQueue low = queue(0);
    ModelQueue high = queue(0);
    job(low, 10, Long.MAX_VALUE, 5);
    job(high, 20, Long.MAX_VALUE, 1);
    NextBatch next = new NextBatch();
    next.pick(List.of(low, high), 30);
    assertSame(high, next.queue);
    assertEquals(30, next.readyAt);
    assertEquals(List.of(), failures);
  }

  /** A queue whose tuner measured one row at {@code oneRowUs} and a full batch of 8 at {@code fullUs} of CPU. */
  private static ModelQueue measured(long oneRowUs, long fullUs) {
    ModelQueue q = queue(0);
    q.recordBatch(1, 1_000_000, 1_000_000, 1, false); // warm-up: not measured
    q.recordBatch(1, oneRowUs * 1000, oneRowUs * 1000, 2, false);
    q.recordBatch(8, fullUs * 1000, fullUs * 1000, 3, true);
    assertEquals(8, q.tuner.cap());
    return q;
  }

  @Test
  void aPartialBatchWaitsForTheRunningOneWhenBatchingPays() {
    ModelQueue q = measured(300, 480); // a row: 300 µs alone, 60 µs in a full batch
    for (int i = 0; i < 3; i++) {
      job(q, 10 + i, Long.MAX_VALUE, 5);
    }
    NextBatch next = new NextBatch();
    q.inflightRows = 8; // another worker runs this model
    next.pick(List.of(q), 20);
    assertNull(next.queue, "3 rows wait for the running batch");
    for (int i = 0; i < 5; i++) {
      job(q, 20 + i, Long.MAX_VALUE, 5);
    }
    next.pick(List.of(q), 30);
    assertSame(q, next.queue, "a full batch runs beside it");
    q.inflightRows = 0;
    ModelQueue idle = measured(300, 480);
    job(idle, 10, Long.MAX_VALUE, 5);
    next.pick(List.of(idle), 30);
    assertSame(idle, next.queue, "nothing of the model runs: one row goes at once");
  }

  @Test
  void aPartialBatchRunsBesideTheRunningOneWhenBatchingGivesLittle() {
    ModelQueue q = measured(1000, 7000); // compute-bound: a row costs about the same alone and in a batch
    job(q, 10, Long.MAX_VALUE, 5);
    q.inflightRows = 8;
    NextBatch next = new NextBatch();
    next.pick(List.of(q), 20);
    assertSame(q, next.queue);
  }
}
