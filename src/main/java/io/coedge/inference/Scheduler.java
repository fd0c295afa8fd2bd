package io.coedge.inference;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Per-model bounded priority queues served by one dedicated pool of worker threads (not the event
 * loop) that form dynamic batches. Admission is a value: {@link #reserve} hands out a place in the queue or
 * says no; a job that is still queued when its deadline passes is failed by the worker's expiry pass (the one
 * place deadlines are enforced). Which batch runs next is {@link NextBatch}'s policy; running it and settling its
 * jobs is {@link Job#run}'s; this class owns the threads, the lock and the jobs run on their caller's thread.
 */
public final class Scheduler implements AutoCloseable {

  /** Observes batches, for metrics. */
  public interface Listener {
    Listener NOOP = (model, version, rows, nanos) -> { };

    void batchDone(String model, String version, int rows, long serviceNanos);
  }

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition work = lock.newCondition();
  private final List<ModelQueue> queues = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private final AtomicLong seq = new AtomicLong();
  private final LongSupplier clock;
  /** The running thread's CPU time, ns: what a batch cost without the time it waited for a core (the tuner's). */
  private final LongSupplier cpuClock;
  private final Listener listener;
  private final int workers;
  /** Workers waiting for work, and jobs running on their caller's thread: both under the lock. */
  private int parked;
  private int inlineRunning;
  private final long inlineMaxNanos;
  private final ThreadLocal<WorkerScratch> callerScratch = ThreadLocal.withInitial(WorkerScratch::new);
  private volatile boolean running = true;

  /** A scheduler whose batches cost what {@code nanoClock} says they took (tests drive it by hand). */
  public Scheduler(int workers, LongSupplier nanoClock, Listener listener) {
    this(workers, nanoClock, nanoClock, ModelQueue.INLINE_MAX_NANOS, listener);
  }

  /**
   * {@code cpuClock}: the running thread's CPU time, ns ({@link ThreadCpu}), from which the batch tuner learns;
   * {@code inlineMaxNanos}: the longest job {@link #offer} may run on its caller's thread (0: none).
   */
  Scheduler(int workers, LongSupplier nanoClock, LongSupplier cpuClock, long inlineMaxNanos, Listener listener) {
    this.workers = workers;
    this.inlineMaxNanos = inlineMaxNanos;
    this.clock = nanoClock;
    this.cpuClock = cpuClock;
    this.listener = listener;
    for (int i = 0; i < workers; i++) {
      Thread t = new Thread(this::workLoop, "coedge-infer-" + i);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
  }

  ModelQueue register(LoadedModel model) {
    return register(model, 0);
  }

  /** Registers {@code model} with a service time measured before traffic ({@link ModelQueue#seed}); 0 = none. */
  ModelQueue register(LoadedModel model, long seedNanos) {
    lock.lock();
    try {
      ModelQueue q = new ModelQueue(model, clock.getAsLong());
      q.seed(seedNanos);
      queues.add(q);
      return q;
    } finally {
      lock.unlock();
    }
  }

  void unregister(ModelQueue q) {
    lock.lock();
    try {
      queues.remove(q);
    } finally {
      lock.unlock();
    }
  }

  long nextSeq() {
    return seq.incrementAndGet();
  }

  /** Takes a place in {@code q} for one job, without the lock; false when it is full (permits included) or closing. */
  boolean reserve(ModelQueue q) {
    return running && q.tryReserve();
  }

  /**
   * Queues a job on the place {@link #reserve} gave it; false (nothing queued) once the scheduler closed. With
   * {@code mayInline} the job runs at once on the calling thread (the
   * event loop) instead of waking a worker and hopping back, but only when that cannot hold the caller up for
   * long nor take more than the pool's share of the cores: nothing of the model is queued, a worker is idle (the
   * caller takes its place) and the model's shortest recent batch time times these rows is at most
   * {@code inference.inline-max-us}. The job is then complete (or failed) when this returns.
   */
  boolean offer(ModelQueue q, Job job, boolean mayInline) {
    lock.lock();
    try {
      if (!running) {
        q.unreserve();
        return false;
      }
      long now = clock.getAsLong();
      if (!mayInline || parked <= inlineRunning || q.size() > 0 || !q.inlineable(job.rows, inlineMaxNanos)) {
        q.add(job, now); // counted as queued before its permit is given back: tryReserve never undercounts
        q.unreserve();
        work.signal();
        return true;
      }
      q.unreserve();
      q.arrived(now);
      q.inflightRows += job.rows;
      inlineRunning++;
    } finally {
      lock.unlock();
    }
    runInline(q, job);
    return true;
  }

  /** Workers waiting for work that no inline job stands in for. */
  int idleWorkers() {
    lock.lock();
    try {
      return parked - inlineRunning;
    } finally {
      lock.unlock();
    }
  }

  private void runInline(ModelQueue q, Job job) {
    run(q, List.of(job), job.rows, callerScratch.get(), false, true);
  }

  /**
   * Runs a batch of {@code q} (its {@code rows} already counted in flight) on this thread, without the lock, then
   * records it under the lock, timed on both clocks; {@code inline}: it ran on its caller's thread, not a worker's,
   * and is timed on the wall clock alone (a job within the inline bound on an event loop that was running anyway:
   * the CPU clock's two reads would only add to each such request).
   */
  private void run(ModelQueue q, List<Job> batch, int rows, WorkerScratch scratch, boolean limited, boolean inline) {
    long cpu = inline ? 0 : cpuClock.getAsLong();
    long start = clock.getAsLong();
    try {
      Job.run(q.model, batch, scratch, start);
    } finally {
      long took = clock.getAsLong() - start;
      cpu = inline ? took : cpuClock.getAsLong() - cpu;
      lock.lock();
      try {
        if (inline) {
          inlineRunning--;
          if (!running) {
            work.signalAll(); // close() may be waiting for this run
          }
        }
        q.inflightRows -= rows;
        q.recordBatch(rows, took, cpu, start + took, limited);
        if (q.size() > 0) {
          work.signal(); // rows that waited for this batch (NextBatch) go now, should this thread not take them
        }
      } finally {
        lock.unlock();
      }
    }
    listener.batchDone(q.model.name(), q.model.version(), rows, clock.getAsLong() - start);
  }

  /** The queue's statistics, read without the lock (a snapshot of volatile figures, consistent enough for estimates). */
  ModelLoad load(ModelQueue q) {
    return q.load(workers, clock.getAsLong());
  }

  private void workLoop() {
    WorkerScratch scratch = new WorkerScratch();
    NextBatch next = new NextBatch();
    lock.lock();
    try {
      while (running) {
        long now = clock.getAsLong();
        next.pick(queues, now);
        ModelQueue best = next.queue;
        if (best == null) {
          parked++;
          work.awaitUninterruptibly();
          parked--;
          continue;
        }
        if (next.readyAt > now) {
          work.awaitNanos(next.readyAt - now);
          continue;
        }
        List<Job> batch = best.drainBatch();
        boolean limited = best.head() != null;
        int rows = Job.rows(batch);
        best.inflightRows += rows;
        lock.unlock();
        try {
          run(best, batch, rows, scratch, limited, false);
        } finally {
          lock.lock();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      if (lock.isHeldByCurrentThread()) {
        lock.unlock();
      }
    }
  }

  /** Stops taking work, fails what is still queued, and waits for running batches to finish. */
  @Override
  public void close() {
    lock.lock();
    List<Job> left = new ArrayList<>();
    try {
      running = false;
      queues.forEach(q -> left.addAll(q.expire(Long.MAX_VALUE))); // every job, whatever its deadline
      work.signalAll();
    } finally {
      lock.unlock();
    }
    left.forEach(j -> j.fail(InferenceException.overloaded("server is shutting down", 1)));
    for (Thread t : threads) {
      try {
        t.join(TimeUnit.SECONDS.toMillis(10));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    awaitInlineRuns(); // a job running on an event loop finishes before its session may close, as a batch does
  }

  private void awaitInlineRuns() {
    lock.lock();
    try {
      long left = TimeUnit.SECONDS.toNanos(10);
      while (inlineRunning > 0 && left > 0) {
        left = work.awaitNanos(left);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      lock.unlock();
    }
  }
}
