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
}
