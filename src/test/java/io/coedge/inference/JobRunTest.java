package io.coedge.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Running one batch settles every job of it exactly once: each with its own rows, or all with the failure. */
class JobRunTest {

  private final List<Object> settled = new ArrayList<>();
  private final AtomicInteger calls = new AtomicInteger();

  private Job job(LoadedModel model, float value) {
    return new Job(SchedulerTest.request(value, 0), model, 0, Long.MAX_VALUE, 0, calls.incrementAndGet(), 1,
        (r, e) -> settled.add(e != null ? e : r.outputs().get(0).data().getFloat(0)));
  }

  /** A backend that fails every batch with {@code failure}. */
  private static LoadedModel failing(Exception failure) {
    SchedulerTest.Doubler model = new SchedulerTest.Doubler(8, 0, 16, null, null);
    model.failure = failure;
    return model;
  }

  @Test
  void eachJobGetsItsOwnRows() {
    LoadedModel model = new SchedulerTest.Doubler(8, 0, 16, null, null);
    Job.run(model, List.of(job(model, 1), job(model, 2.5f), job(model, -3)), new WorkerScratch(), 0);
    assertEquals(List.of(2f, 5f, -6f), settled);
  }

  @Test
  void aBackendFaultFailsEveryJobOfTheBatchOnceAndLaterBatchesStillRun() {
    IllegalStateException fault = new IllegalStateException("session lost");
    LoadedModel broken = failing(fault);
    List<Job> batch = List.of(job(broken, 1), job(broken, 2), job(broken, 3));
    Job.run(broken, batch, new WorkerScratch(), 0);
    assertEquals(List.of(fault, fault, fault), settled);
    Job.run(broken, batch, new WorkerScratch(), 0); // settled already: a second outcome is ignored
    assertEquals(3, settled.size());
    LoadedModel model = new SchedulerTest.Doubler(8, 0, 16, null, null);
    Job.run(model, List.of(job(model, 4)), new WorkerScratch(), 0);
    assertEquals(8f, settled.get(3));
  }

  @Test
  void anInferenceExceptionReachesEachJobAsItIs() {
    InferenceException invalid = InferenceException.invalid("input 'x': NaN not allowed");
    LoadedModel broken = failing(invalid);
    Job.run(broken, List.of(job(broken, 1), job(broken, 2)), new WorkerScratch(), 0);
    assertSame(invalid, settled.get(0));
    assertSame(invalid, settled.get(1));
  }
}
