package io.coedge.inference;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The queue of one model version plus the running statistics the scheduler and the cost model read.
 * Changed under the scheduler's lock, except the permit count (atomic); {@link #tryReserve} and {@link #load} read
 * without it (the figures they read are volatile), so admission takes the lock once per request, to queue.
 */
final class ModelQueue {

  private static final Comparator<Job> ORDER =
      Comparator.<Job>comparingInt(j -> j.priority).thenComparingLong(j -> j.seq);
  private static final double ALPHA = 0.2;
  /**
   * The default longest a job may run on its caller's thread (an event loop), by {@link #inlineable}'s estimate:
   * about what the event loop spends on the request's HTTP and decoding anyway ({@code inference.inline-max-us}).
   */
  static final long INLINE_MAX_NANOS = 100_000;

  final LoadedModel model;
  /** The working batch cap, learnt; the model's max-batch-size is its ceiling. */
  final BatchTuner tuner;
  private final PriorityQueue<Job> jobs = new PriorityQueue<>(ORDER);
  private int queuedRows;
  /** {@code jobs.size()}, for readers without the lock. */
  private volatile int queuedJobs;
  volatile int inflightRows;
  /** Permits handed out and not yet used: they count against max-queue. */
  private final AtomicInteger reserved = new AtomicInteger();
  private volatile long lastBatchNanos;
  private long lastArrivalNanos;
  private double arrivalGapEwmaNanos = Double.MAX_VALUE;
  private volatile double batchServiceEwmaNanos;
  private volatile double batchRowsEwma;
  private long batches;
  /**
   * The shortest batch time seen, rising 2 % a batch: what a small job costs when it is not preempted (on a busy
   * machine the EWMA is mostly the preemptions), yet following a model that really got slower within ~100 batches.
   */
  private long shortestBatchNanos;

  ModelQueue(LoadedModel model, long now) {
    this.model = model;
    this.tuner = new BatchTuner(Math.max(1, model.config().maxBatchSize()), model.config().timeoutUs() * 1000);
    this.lastBatchNanos = now;
  }

  /**
   * Takes a permit, without the lock, when queued jobs and unused permits stay within max-queue. A permit turns into
   * a queued job in {@link #add} (counted as queued before the permit is given back), so reading the permits first
   * never sees the pair too small.
   */
  boolean tryReserve() {
    int max = model.config().maxQueue();
    while (true) {
      int r = reserved.get();
      if (r + queuedJobs >= max) {
        return false;
      }
      if (reserved.compareAndSet(r, r + 1)) {
        return true;
      }
    }
  }

  /** Gives back a permit: its job was queued, run, or refused. */
  void unreserve() {
    reserved.decrementAndGet();
  }

  int size() {
    return queuedJobs;
  }

  int queuedRows() {
    return queuedRows;
  }

  Job head() {
    return jobs.peek();
  }

  void add(Job job, long now) {
    jobs.add(job);
    queuedJobs = jobs.size();
    queuedRows += job.rows;
    arrived(now);
  }

  /** Counts an arrival in the arrival-gap statistics (a job run inline arrives without being queued). */
  void arrived(long now) {
    if (lastArrivalNanos != 0) {
      double gap = now - lastArrivalNanos;
      arrivalGapEwmaNanos = arrivalGapEwmaNanos == Double.MAX_VALUE ? gap
          : arrivalGapEwmaNanos + ALPHA * (gap - arrivalGapEwmaNanos);
    }
    lastArrivalNanos = now;
  }

  boolean remove(Job job) {
    if (jobs.remove(job)) {
      queuedJobs = jobs.size();
      queuedRows -= job.rows;
      return true;
    }
    return false;
  }

  /**
   * True when a job of {@code rows} is expected to run within {@code maxNanos} (0: never): the shortest recent
   * batch time (about one row's, fixed cost included) times its rows, so it errs long; never before a batch was
   * measured.
   */
  boolean inlineable(int rows, long maxNanos) {
    return maxNanos > 0 && batches >= 2 && shortestBatchNanos * rows <= maxNanos;
  }

  /** Removes and returns jobs whose deadline has passed. */
  List<Job> expire(long now) {
    List<Job> expired = null;
    for (Job j : jobs) {
      if (j.deadlineNanos <= now) {
        (expired == null ? expired = new ArrayList<>() : expired).add(j);
      }
    }
    if (expired == null) {
      return List.of();
    }
    expired.forEach(this::remove);
    return expired;
  }

  /**
   * When the head may run: now if batching is off or the batch is full, else when more requests are
   * unlikely to arrive within the batching delay (Triton's max_queue_delay, applied only while the
   * arrival rate makes waiting worthwhile, so a lone request at low load is not held).
   */
  long readyAt(long now, long oldestEnqueued) {
    if (!model.batched() || queuedRows >= tuner.cap()) {
      return now;
    }
    long delay = model.config().maxQueueDelayUs() * 1000;
    if (delay == 0 || arrivalGapEwmaNanos > delay) {
      return now;
    }
    return oldestEnqueued + delay;
  }

  /**
   * Takes the next batch: the head (alone when it is larger than the cap), then compatible jobs in order until
   * the tuner's cap.
   */
  List<Job> drainBatch() {
    Job head = jobs.poll();
    queuedJobs = jobs.size();
    queuedRows -= head.rows;
    List<Job> batch = new ArrayList<>();
    batch.add(head);
    if (!model.batched()) {
      return batch;
    }
    int rows = head.rows;
    int max = tuner.cap();
    List<Job> skipped = new ArrayList<>();
    while (rows < max && !jobs.isEmpty()) {
      Job next = jobs.poll();
      if (rows + next.rows <= max && compatible(head, next)) {
        batch.add(next);
        rows += next.rows;
        queuedRows -= next.rows;
      } else {
        skipped.add(next);
        if (skipped.size() > 64) {
          break;
        }
      }
    }
    jobs.addAll(skipped);
    queuedJobs = jobs.size();
    return batch;
  }

  /** Jobs batch together when every input agrees on all dimensions but the first. */
  private static boolean compatible(Job a, Job b) {
    for (int i = 0; i < a.request.inputs().size(); i++) {
      Tensor x = a.request.inputs().get(i);
      Tensor y = find(b, x.name());
      if (y == null || !Arrays.equals(x.shape(), 1, x.shape().length, y.shape(), 1, y.shape().length)) {
        return false;
      }
    }
    return sameOutputs(a, b);
  }

  private static boolean sameOutputs(Job a, Job b) {
    return a.request.outputs().isEmpty() == b.request.outputs().isEmpty();
  }

  private static Tensor find(Job j, String name) {
    for (Tensor t : j.request.inputs()) {
      if (t.name().equals(name)) {
        return t;
      }
    }
    return null;
  }

  /**
   * A batch of {@code rows} took {@code serviceNanos}, {@code cpuNanos} of it on a core (the tuner's cost, as the
   * backend counts it: {@link LoadedModel#emulatedNanos}), finishing at {@code now}; {@code limited}: the cap held it
   * back (requests were still waiting when it was formed). The session's first batch is its warm-up (lazy
   * allocations, JIT): it is not measured, or one slow start would make every later estimate refuse.
   */
  void recordBatch(int rows, long serviceNanos, long cpuNanos, long now, boolean limited) {
    lastBatchNanos = now;
    batches++;
    if (batches == 1) {
      return;
    }
    if (model.batched()) {
      tuner.observe(rows, model.emulatedNanos(Math.min(cpuNanos, serviceNanos), rows), limited);
    }
    shortestBatchNanos = batches == 2 ? serviceNanos
        : Math.min(serviceNanos, shortestBatchNanos + shortestBatchNanos / 50 + 1);
    if (batches == 2) {
      batchServiceEwmaNanos = serviceNanos;
      batchRowsEwma = rows;
    } else {
      batchServiceEwmaNanos += ALPHA * (serviceNanos - batchServiceEwmaNanos);
      batchRowsEwma += ALPHA * (rows - batchRowsEwma);
    }
  }

  /**
   * A service time measured before traffic ({@link ServiceSeed}): the estimate until the first measured batch
   * replaces it. Ignored once a batch was measured, and when not positive.
   */
  void seed(long serviceNanos) {
    if (batches < 2 && serviceNanos > 0) {
      batchServiceEwmaNanos = serviceNanos;
      batchRowsEwma = 1;
    }
  }

  /** The queue and service statistics at {@code now}. */
  ModelLoad load(int workers, long now) {
    return new ModelLoad(queuedJobs, inflightRows, batchServiceEwmaNanos / 1000.0, batchRowsEwma, workers,
        Math.max(0, now - lastBatchNanos) / 1000);
  }
}
