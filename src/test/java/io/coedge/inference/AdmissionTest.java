package io.coedge.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Permits are taken without the scheduler's lock: however many threads race for them, queued jobs and unused
 * permits never exceed max-queue, and a permit that turns into a queued job still counts.
 */
@Timeout(30)
class AdmissionTest {

  private final Scheduler scheduler = new Scheduler(1, new AtomicLong(1)::get, Scheduler.Listener.NOOP);

  @AfterEach
  void stop() {
    scheduler.close();
  }

  @Test
  void racingThreadsNeverTakeMorePermitsThanTheQueueHolds() throws Exception {
    ModelQueue q = scheduler.register(new SchedulerTest.Doubler(0, 0, 50, null, null));
    AtomicInteger granted = new AtomicInteger();
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      Thread th = new Thread(() -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          return;
        }
        for (int i = 0; i < 100; i++) {
          if (scheduler.reserve(q)) {
            granted.incrementAndGet();
          }
        }
      });
      th.start();
      threads.add(th);
    }
    go.countDown();
    for (Thread th : threads) {
      th.join(10_000);
    }
    assertEquals(50, granted.get(), "800 attempts on a queue of 50");
  }

  @Test
  void aQueuedJobKeepsItsPlaceAfterItsPermitIsUsed() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    SchedulerTest.Doubler held = new SchedulerTest.Doubler(0, 0, 2, gate, null);
    ModelQueue q = scheduler.register(held);
    CountDownLatch done = new CountDownLatch(3);
    for (int i = 0; i < 3; i++) {
      assertTrue(scheduler.reserve(q), "place " + i);
      assertTrue(scheduler.offer(q, new Job(SchedulerTest.request(i, 0), q.model, 0, Long.MAX_VALUE,
          Integer.MAX_VALUE, scheduler.nextSeq(), 1, (r, e) -> done.countDown()), false));
      if (i == 0) {
        assertTrue(held.started.await(10, java.util.concurrent.TimeUnit.SECONDS), "the first runs, held");
      }
    }
    assertFalse(scheduler.reserve(q), "two queued jobs fill a queue of 2 (the running one is not queued)");
    gate.countDown();
    assertTrue(done.await(10, java.util.concurrent.TimeUnit.SECONDS));
    assertTrue(scheduler.reserve(q), "room again once they ran");
  }
}
