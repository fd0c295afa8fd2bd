package io.coedge.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The scheduler's batching, splitting, priority and admission, against a fake backend. */
@Timeout(30)
class SchedulerTest {

  private Scheduler scheduler;

  @AfterEach
  void stop() {
    if (scheduler != null) {
      scheduler.close();
    }
  }

  /** A backend that doubles one FP32 input "x" [N,1] and records the batch sizes it saw. */
  static final class Doubler implements LoadedModel {
    final ModelConfig config;
    final List<Integer> batchRows = Collections.synchronizedList(new ArrayList<>());
    final CountDownLatch gate;
    final long sleepMs;

    Doubler(int maxBatch, long delayUs, int maxQueue, CountDownLatch gate, long sleepMs) {
      this.config = new ModelConfig(maxBatch, delayUs, maxQueue, 0, List.of(), "local-first", "", 0.5);
      this.gate = gate;
      this.sleepMs = sleepMs;
    }

    public String name() {
      return "doubler";
    }

    public String version() {
      return "1";
    }

    public ModelConfig config() {
      return config;
    }

    public List<TensorSpec> inputs() {
      return List.of(new TensorSpec("x", DataType.FP32, new long[] {-1, 1}));
    }

    public List<TensorSpec> outputs() {
      return List.of(new TensorSpec("y", DataType.FP32, new long[] {-1, 1}));
    }

    public boolean batched() {
      return config.maxBatchSize() > 0;
    }

    public List<InferResult> run(List<Job> batch, WorkerScratch scratch, long start) throws Exception {
      if (gate != null) {
        gate.await(10, TimeUnit.SECONDS);
      }
      if (sleepMs > 0) {
        Thread.sleep(sleepMs);
      }
      batchRows.add(batch.stream().mapToInt(j -> j.rows).sum());
      List<InferResult> out = new ArrayList<>();
      for (Job j : batch) {
        ByteBuffer in = j.request.inputs().get(0).data();
        ByteBuffer o = ByteBuffer.allocate(in.limit()).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < in.limit(); i += 4) {
          o.putFloat(i, in.getFloat(i) * 2);
        }
        out.add(new InferResult("doubler", "1",
            List.of(Tensor.fixed("y", DataType.FP32, new long[] {j.rows, 1}, o)), 0, 0));
      }
      return out;
    }
  }

  private static InferRequest request(float value, int priority) {
    ByteBuffer b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(0, value);
    return new InferRequest("r" + value, "doubler", null,
        List.of(Tensor.fixed("x", DataType.FP32, new long[] {1, 1}, b)), List.of(), false, priority, 0,
        OffloadMode.AUTO);
  }

  private Job job(ModelQueue q, float value, int priority, long deadline, Map<Float, Float> answers,
      AtomicInteger completions, CountDownLatch done) {
    return new Job(request(value, priority), q.model, System.nanoTime(), deadline, priority, scheduler.nextSeq(), 1,
        (r, err) -> {
          completions.incrementAndGet();
          answers.put(value, err != null ? Float.NaN : r.outputs().get(0).data().getFloat(0));
          done.countDown();
        });
  }

  @Test
  void concurrentRequestsAreBatchedAndEachCallerGetsItsOwnRows() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    Doubler model = new Doubler(8, 50_000, 100, gate, 0);
    scheduler = new Scheduler(1, System::nanoTime, Scheduler.Listener.NOOP);
    ModelQueue q = scheduler.register(model);
    Map<Float, Float> answers = new ConcurrentHashMap<>();
    AtomicInteger completions = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(40);
    for (int i = 0; i < 40; i++) {
      assertNull(scheduler.offer(q, job(q, i, 0, Long.MAX_VALUE, answers, completions, done)));
    }
    gate.countDown();
    assertTrue(done.await(10, TimeUnit.SECONDS));
    for (int i = 0; i < 40; i++) {
      assertEquals(2f * i, answers.get((float) i), "answer for input " + i);
    }
    assertEquals(40, completions.get(), "each request answered exactly once");
    assertTrue(model.batchRows.stream().anyMatch(r -> r > 1), "some batches coalesced: " + model.batchRows);
    assertTrue(model.batchRows.stream().allMatch(r -> r <= 8), "no batch above max-batch-size: " + model.batchRows);
  }

  @Test
  void fullQueueIsRefusedAtOnce() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    Doubler model = new Doubler(0, 0, 3, gate, 0);
    scheduler = new Scheduler(1, System::nanoTime, Scheduler.Listener.NOOP);
    ModelQueue q = scheduler.register(model);
    Map<Float, Float> answers = new ConcurrentHashMap<>();
    AtomicInteger completions = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(4);
    // One runs (blocked on the gate), three wait, the fifth finds the queue full.
    for (int i = 0; i < 4; i++) {
      assertNull(scheduler.offer(q, job(q, i, 0, Long.MAX_VALUE, answers, completions, done)));
      Thread.sleep(i == 0 ? 100 : 0);
    }
    assertEquals(Scheduler.Rejection.QUEUE_FULL,
        scheduler.offer(q, job(q, 9, 0, Long.MAX_VALUE, answers, completions, done)));
    gate.countDown();
    assertTrue(done.await(10, TimeUnit.SECONDS));
    assertEquals(4, completions.get());
    assertFalse(answers.containsKey(9f));
  }

  @Test
  void higherPriorityRunsFirst() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    Doubler model = new Doubler(0, 0, 100, gate, 0);
    scheduler = new Scheduler(1, System::nanoTime, Scheduler.Listener.NOOP);
    ModelQueue q = scheduler.register(model);
    List<Float> order = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch done = new CountDownLatch(4);
    float[] values = {0, 1, 2, 3};
    int[] priorities = {Integer.MAX_VALUE, 5, 5, 1};
    for (int i = 0; i < 4; i++) {
      float v = values[i];
      scheduler.offer(q, new Job(request(v, priorities[i]), model, System.nanoTime(), Long.MAX_VALUE, priorities[i],
          scheduler.nextSeq(), 1, (r, e) -> {
            order.add(v);
            done.countDown();
          }));
      Thread.sleep(i == 0 ? 100 : 0);
    }
    gate.countDown();
    assertTrue(done.await(10, TimeUnit.SECONDS));
    // 0 was already running; then priority 1, then the two of priority 5 in arrival order.
    assertEquals(List.of(0f, 3f, 1f, 2f), order);
  }

  @Test
  void requestThatCannotMeetItsDeadlineIsRefusedOnceServiceTimeIsKnown() throws Exception {
    Doubler model = new Doubler(0, 0, 100, null, 50);
    scheduler = new Scheduler(1, System::nanoTime, Scheduler.Listener.NOOP);
    ModelQueue q = scheduler.register(model);
    Map<Float, Float> answers = new ConcurrentHashMap<>();
    AtomicInteger completions = new AtomicInteger();
    CountDownLatch warm = new CountDownLatch(1);
    scheduler.offer(q, job(q, 1, 0, Long.MAX_VALUE, answers, completions, warm));
    assertTrue(warm.await(5, TimeUnit.SECONDS));
    // The worker records the batch's service time just after it answers the callers: wait for it.
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (scheduler.estimateUs(q) <= 40_000 && System.nanoTime() < until) {
      Thread.sleep(1);
    }
    assertTrue(scheduler.estimateUs(q) > 40_000, "estimate reflects the service time: " + scheduler.estimateUs(q));
    // Service takes ~50 ms: a 5 ms deadline cannot be met.
    long deadline = System.nanoTime() + 5_000_000;
    assertEquals(Scheduler.Rejection.DEADLINE,
        scheduler.offer(q, job(q, 2, 0, deadline, answers, completions, new CountDownLatch(1))));
  }

  @Test
  void queuedJobsPastTheirDeadlineAreFailedAsOverloaded() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    Doubler model = new Doubler(0, 0, 100, gate, 0);
    scheduler = new Scheduler(1, System::nanoTime, Scheduler.Listener.NOOP);
    ModelQueue q = scheduler.register(model);
    List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch done = new CountDownLatch(2);
    scheduler.offer(q, new Job(request(1, 0), model, System.nanoTime(), Long.MAX_VALUE, 9, 1, 1,
        (r, e) -> done.countDown()));
    Thread.sleep(50);
    scheduler.offer(q, new Job(request(2, 0), model, System.nanoTime(), System.nanoTime() + 20_000_000, 9, 2, 1,
        (r, e) -> {
          errors.add(e);
          done.countDown();
        }));
    Thread.sleep(100);
    gate.countDown();
    assertTrue(done.await(10, TimeUnit.SECONDS));
    assertEquals(1, errors.size());
    assertInstanceOf(InferenceException.Overloaded.class, errors.get(0));
  }

  @Test
  void closeFailsQueuedJobsExactlyOnce() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    Doubler model = new Doubler(0, 0, 100, gate, 0);
    scheduler = new Scheduler(1, System::nanoTime, Scheduler.Listener.NOOP);
    ModelQueue q = scheduler.register(model);
    AtomicInteger completions = new AtomicInteger();
    Map<Float, Float> answers = new ConcurrentHashMap<>();
    CountDownLatch done = new CountDownLatch(5);
    for (int i = 0; i < 5; i++) {
      scheduler.offer(q, job(q, i, 0, Long.MAX_VALUE, answers, completions, done));
    }
    Thread.sleep(50);
    gate.countDown();
    scheduler.close();
    scheduler = null;
    assertTrue(done.await(10, TimeUnit.SECONDS));
    assertEquals(5, completions.get());
  }
}
