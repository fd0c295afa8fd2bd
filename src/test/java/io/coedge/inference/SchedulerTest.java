package io.coedge.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
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
import java.util.concurrent.atomic.AtomicLong;
import io.coedge.Eventually;
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
    /** Counted down when a batch starts running: tests wait for it instead of sleeping. */
    final CountDownLatch started = new CountDownLatch(1);
    /** Each batch "takes" the next of these µs on the test's clock (then 0). */
    final List<Long> costsUs = Collections.synchronizedList(new ArrayList<>());
    final AtomicLong clock;
    /** When set, every batch fails with it (a backend fault). */
    volatile Exception failure;

    Doubler(int maxBatch, long delayUs, int maxQueue, CountDownLatch gate, AtomicLong clock) {
      this.config = new ModelConfig(maxBatch, delayUs, maxQueue, 0, List.of(), "local-first", "", 0.5);
      this.gate = gate;
      this.clock = clock;
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
      started.countDown();
      if (failure != null) {
        throw failure;
      }
      if (gate != null) {
        gate.await(10, TimeUnit.SECONDS);
      }
      if (clock != null && !costsUs.isEmpty()) {
        clock.addAndGet(costsUs.remove(0) * 1000);
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

  static InferRequest request(float value, int priority) {
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

  /** A one-worker scheduler on {@code clock} serving {@code model}. */
  private ModelQueue start(Doubler model, java.util.function.LongSupplier clock) {
    scheduler = new Scheduler(1, clock, Scheduler.Listener.NOOP);
    return scheduler.register(model);
  }

  /** A one-worker scheduler (queue of {@code maxQueue}) whose first job, value 0, is running, held at {@code gate}. */
  private ModelQueue firstRunningHeld(int maxQueue, CountDownLatch gate, CountDownLatch done) throws Exception {
    Doubler model = new Doubler(0, 0, maxQueue, gate, null);
    ModelQueue q = start(model, System::nanoTime);
    queue(q, job(q, 0, 0, Long.MAX_VALUE, done));
    assertTrue(model.started.await(10, TimeUnit.SECONDS), "0 is running (held at the gate)");
    return q;
  }

  /** Takes a place and queues the job there, as the engine does with a permit. */
  private void queue(ModelQueue q, Job job) {
    assertTrue(scheduler.reserve(q), "a place in the queue");
    assertTrue(scheduler.offer(q, job, false));
  }

  /** What the jobs made by {@link #job(ModelQueue, float, int, long, CountDownLatch)} answered, in order. */
  private final List<Float> order = Collections.synchronizedList(new ArrayList<>());
  private final List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());

  private Job job(ModelQueue q, float value, int priority, long deadline, CountDownLatch done) {
    return new Job(request(value, priority), q.model, System.nanoTime(), deadline,
        priority > 0 ? priority : Integer.MAX_VALUE, scheduler.nextSeq(), 1, (r, e) -> {
          if (e != null) {
            errors.add(e);
          } else {
            order.add(value);
          }
          done.countDown();
        });
  }

  @Test
  void concurrentRequestsAreBatchedAndEachCallerGetsItsOwnRows() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    Doubler model = new Doubler(8, 50_000, 100, gate, null);
    ModelQueue q = start(model, System::nanoTime);
    Map<Float, Float> answers = new ConcurrentHashMap<>();
    AtomicInteger completions = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(40);
    for (int i = 0; i < 40; i++) {
      queue(q, job(q, i, 0, Long.MAX_VALUE, answers, completions, done));
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
  void aFullQueueGivesNoPermitAndUnusedPermitsCountAgainstIt() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    CountDownLatch done = new CountDownLatch(3);
    ModelQueue q = firstRunningHeld(3, gate, done);
    queue(q, job(q, 1, 0, Long.MAX_VALUE, done));
    queue(q, job(q, 2, 0, Long.MAX_VALUE, done));
    assertTrue(scheduler.reserve(q), "the third place, taken and not yet used");
    assertFalse(scheduler.reserve(q), "two waiting and one promised fill a queue of 3");
    gate.countDown();
    assertTrue(done.await(10, TimeUnit.SECONDS));
    assertEquals(List.of(0f, 1f, 2f), order);
    assertTrue(errors.isEmpty());
  }

  @Test
  void higherPriorityRunsFirst() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    CountDownLatch done = new CountDownLatch(4);
    ModelQueue q = firstRunningHeld(100, gate, done);
    queue(q, job(q, 1, 5, Long.MAX_VALUE, done));
    queue(q, job(q, 2, 5, Long.MAX_VALUE, done));
    queue(q, job(q, 3, 1, Long.MAX_VALUE, done));
    gate.countDown();
    assertTrue(done.await(10, TimeUnit.SECONDS));
    // 0 was already running; then priority 1, then the two of priority 5 in arrival order.
    assertEquals(List.of(0f, 3f, 1f, 2f), order);
  }

  @Test
  void theFirstBatchIsAWarmUpAndDoesNotSeedTheEstimate() throws Exception {
    AtomicLong clock = new AtomicLong(1_000_000_000L);
    Doubler model = new Doubler(0, 0, 100, null, clock);
    model.costsUs.addAll(List.of(900_000L, 10_000L)); // a slow first run, then the model's real speed
    ModelQueue q = start(model, clock::get);
    CountDownLatch first = new CountDownLatch(1);
    queue(q, job(q, 1, 0, Long.MAX_VALUE, first));
    assertTrue(first.await(10, TimeUnit.SECONDS));
    Eventually.within(10_000, "the worker recorded the warm-up", () -> scheduler.load(q).idleUs() == 0);
    assertEquals(0, scheduler.load(q).serviceUs(), "the warm-up is not measured");
    CountDownLatch second = new CountDownLatch(1);
    queue(q, job(q, 2, 0, Long.MAX_VALUE, second));
    assertTrue(second.await(10, TimeUnit.SECONDS));
    Eventually.within(10_000, "the worker recorded the batch", () -> scheduler.load(q).serviceUs() > 0);
    assertEquals(10_000, scheduler.load(q).serviceUs(), 1e-9);
    clock.addAndGet(2_000_000_000L);
    assertEquals(2_000_000, scheduler.load(q).idleUs(), "how old the estimate is, on the injected clock");
  }

  @Test
  void queuedJobsPastTheirDeadlineAreFailedAsOverloaded() throws Exception {
    AtomicLong clock = new AtomicLong(1_000_000_000L);
    CountDownLatch gate = new CountDownLatch(1);
    Doubler model = new Doubler(0, 0, 100, gate, clock);
    ModelQueue q = start(model, clock::get);
    CountDownLatch done = new CountDownLatch(3);
    queue(q, job(q, 1, 0, Long.MAX_VALUE, done));
    queue(q, job(q, 2, 0, clock.get() + 20_000_000, done));
    queue(q, job(q, 3, 0, clock.get() + 60_000_000, done));
    clock.addAndGet(50_000_000); // 2's deadline passes while it waits; 3's does not
    gate.countDown();
    assertTrue(done.await(10, TimeUnit.SECONDS));
    assertEquals(List.of(1f, 3f), order);
    assertEquals(1, errors.size());
    assertInstanceOf(InferenceException.Overloaded.class, errors.get(0));
  }

  @Test
  void closeFailsQueuedJobsExactlyOnce() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    Doubler model = new Doubler(0, 0, 100, gate, null);
    ModelQueue q = start(model, System::nanoTime);
    AtomicInteger completions = new AtomicInteger();
    Map<Float, Float> answers = new ConcurrentHashMap<>();
    CountDownLatch done = new CountDownLatch(5);
    for (int i = 0; i < 5; i++) {
      queue(q, job(q, i, 0, Long.MAX_VALUE, answers, completions, done));
    }
    assertTrue(model.started.await(10, TimeUnit.SECONDS), "0 is running (held at the gate)");
    Scheduler closing = scheduler;
    scheduler = null;
    Thread closer = new Thread(closing::close);
    closer.start();
    Eventually.within(10_000, "the four queued ones failed", () -> answers.size() == 4);
    gate.countDown(); // close waits for the running batch
    closer.join(10_000);
    assertTrue(done.await(10, TimeUnit.SECONDS));
    assertEquals(5, completions.get(), "each answered exactly once");
    assertEquals(0f, answers.get(0f), "the running batch finished");
    assertEquals(4, answers.values().stream().filter(v -> v.isNaN()).count());
  }
}
