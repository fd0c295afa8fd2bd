package io.coedge.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coedge.Eventually;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * When a job runs on the thread that offers it (the event loop) instead of a worker: only for a model whose learnt
 * time is within the bound, only once that time was measured, only while a worker is idle. Times come from the
 * test's clock: each batch of the fake model "takes" what the test says.
 */
@Timeout(30)
class InlineRunTest {

  private final AtomicLong clock = new AtomicLong(1_000_000_000L);
  private Scheduler scheduler = new Scheduler(1, clock::get, Scheduler.Listener.NOOP);

  @AfterEach
  void stop() {
    scheduler.close();
  }

  /** The one-worker scheduler serves {@code model}, whose first batch takes 900 ms (warm-up), every later one {@code us}. */
  private ModelQueue start(SchedulerTest.Doubler model, long us) {
    model.costsUs.add(900_000L);
    for (int i = 0; i < 10; i++) {
      model.costsUs.add(us);
    }
    return scheduler.register(model);
  }

  /** Offers one job and returns the name of the thread that completed it, once it completed. */
  private CompletableFuture<String> offer(ModelQueue q, boolean mayInline) {
    return offer(q, mayInline, true);
  }

  private CompletableFuture<String> offer(ModelQueue q, boolean mayInline, boolean whenIdle) {
    CompletableFuture<String> ranOn = new CompletableFuture<>();
    if (whenIdle) {
      Eventually.within(10_000, "the worker is idle", () -> scheduler.idleWorkers() == 1);
    }
    assertTrue(scheduler.reserve(q));
    Job job = new Job(SchedulerTest.request(1f, 0), q.model, clock.get(), Long.MAX_VALUE, Integer.MAX_VALUE,
        scheduler.nextSeq(), 1, (r, e) -> {
          if (e != null) {
            ranOn.completeExceptionally(e);
          } else {
            ranOn.complete(Thread.currentThread().getName());
          }
        });
    assertTrue(scheduler.offer(q, job, mayInline));
    return ranOn;
  }

  @Test
  void aShortJobRunsOnTheCallingThreadOnceTheModelIsMeasured() throws Exception {
    ModelQueue q = start(new SchedulerTest.Doubler(8, 0, 100, null, clock), 10);
    String me = Thread.currentThread().getName();
    assertEquals("coedge-infer-0", offer(q, true).get(10, TimeUnit.SECONDS), "the warm-up runs on the worker");
    assertEquals("coedge-infer-0", offer(q, true).get(10, TimeUnit.SECONDS), "not measured yet: on the worker");
    CompletableFuture<String> third = offer(q, true);
    assertTrue(third.isDone(), "answered before offer returned");
    assertEquals(me, third.get(), "a 10 µs model runs on the caller's thread");
    assertEquals(10, scheduler.load(q).serviceUs(), 1e-9, "the inline run is measured like a batch");
    assertEquals("coedge-infer-0", offer(q, false).get(10, TimeUnit.SECONDS), "a caller that may not wait runs it not");
  }

  @Test
  void withTheBoundAtZeroEveryJobRunsOnAWorker() throws Exception {
    scheduler.close();
    scheduler = new Scheduler(1, clock::get, clock::get, 0, Scheduler.Listener.NOOP); // inference.inline-max-us: 0
    ModelQueue q = start(new SchedulerTest.Doubler(8, 0, 100, null, clock), 10);
    for (int i = 0; i < 4; i++) {
      assertEquals("coedge-infer-0", offer(q, true).get(10, TimeUnit.SECONDS), "a 10 µs model, run " + i);
    }
  }

  @Test
  void aModelOverTheBoundRunsOnAWorker() throws Exception {
    ModelQueue q = start(new SchedulerTest.Doubler(8, 0, 100, null, clock),
        ModelQueue.INLINE_MAX_NANOS / 1000 + 1);
    offer(q, true).get(10, TimeUnit.SECONDS);
    offer(q, true).get(10, TimeUnit.SECONDS);
    assertEquals("coedge-infer-0", offer(q, true).get(10, TimeUnit.SECONDS));
  }

  @Test
  void aModelThatGotSlowerGoesBackToTheWorkers() throws Exception {
    SchedulerTest.Doubler model = new SchedulerTest.Doubler(8, 0, 100, null, clock);
    ModelQueue q = start(model, 10);
    offer(q, true).get(10, TimeUnit.SECONDS);
    offer(q, true).get(10, TimeUnit.SECONDS); // measured: 10 µs
    model.costsUs.clear();
    for (int i = 0; i < 400; i++) {
      model.costsUs.add(1_000L); // from now on every run takes 1 ms
    }
    String me = Thread.currentThread().getName();
    int inline = 0;
    while (me.equals(offer(q, true).get(10, TimeUnit.SECONDS))) {
      inline++;
      assertTrue(inline < 400, "still inline after 400 runs of 1 ms");
    }
    assertTrue(inline > 10, "one slow run does not end it (a preempted run looks slow): " + inline);
  }

  @Test
  void nothingRunsInlineWhileNoWorkerIsIdle() throws Exception {
    ModelQueue fast = start(new SchedulerTest.Doubler(8, 0, 100, null, clock), 10);
    offer(fast, true).get(10, TimeUnit.SECONDS);
    offer(fast, true).get(10, TimeUnit.SECONDS); // measured: 10 µs
    CountDownLatch gate = new CountDownLatch(1);
    SchedulerTest.Doubler other = new SchedulerTest.Doubler(0, 0, 100, gate, clock);
    CompletableFuture<String> running = offer(start(other, 10), false);
    assertTrue(other.started.await(10, TimeUnit.SECONDS), "the one worker is busy with another model");
    CompletableFuture<String> queued = offer(fast, true, false);
    assertNull(queued.getNow(null), "queued behind the busy worker, not run by the caller");
    gate.countDown();
    assertEquals("coedge-infer-0", running.get(10, TimeUnit.SECONDS));
    assertEquals("coedge-infer-0", queued.get(10, TimeUnit.SECONDS));
  }
}
