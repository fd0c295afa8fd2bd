package io.coedge.inference;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Per-model bounded priority queues served by one dedicated pool of worker threads (not the event
 * loop) that form dynamic batches. Admission is a value: {@link #reserve} hands out a place in the queue or
 * says no; a job that is still queued when its deadline passes is failed by the worker's expiry pass (the one
 * place deadlines are enforced).
 */
public final class Scheduler implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(Scheduler.class.getName());

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
  private final Listener listener;
  private final int workers;
  /** Workers waiting for work, and jobs running on their caller's thread: both under the lock. */
  private int parked;
  private int inlineRunning;
  private final ThreadLocal<WorkerScratch> callerScratch = ThreadLocal.withInitial(WorkerScratch::new);
  private volatile boolean running = true;

  public Scheduler(int workers, LongSupplier nanoClock, Listener listener) {
    this.workers = workers;
    this.clock = nanoClock;
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

  /** Queues a job on the place {@link #reserve} gave it; false (nothing queued) once the scheduler closed. */
  boolean offer(ModelQueue q, Job job) {
    return offer(q, job, false);
  }

  /**
   * As {@link #offer(ModelQueue, Job)}; with {@code mayInline} the job runs at once on the calling thread (the
   * event loop) instead of waking a worker and hopping back, but only when that cannot hold the caller up for
   * long nor take more than the pool's share of the cores: nothing of the model is queued, a worker is idle (the
   * caller takes its place) and the model's shortest recent batch time times these rows is at most
   * {@link ModelQueue#INLINE_MAX_NANOS}. The job is then complete (or failed) when this returns.
   */
  boolean offer(ModelQueue q, Job job, boolean mayInline) {
    lock.lock();
    try {
      if (!running) {
        q.unreserve();
        return false;
      }
      long now = clock.getAsLong();
      if (!mayInline || parked <= inlineRunning || q.size() > 0 || !q.inlineable(job.rows)) {
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
    long start = clock.getAsLong();
    try {
      runBatch(q.model, List.of(job), callerScratch.get(), start);
    } finally {
      long took = clock.getAsLong() - start;
      lock.lock();
      try {
        inlineRunning--;
        if (!running) {
          work.signalAll(); // close() may be waiting for this run
        }
        q.inflightRows -= job.rows;
        q.recordBatch(job.rows, took, start + took, false);
      } finally {
        lock.unlock();
      }
    }
    listener.batchDone(q.model.name(), q.model.version(), job.rows, clock.getAsLong() - start);
  }

  /** The queue's statistics, read without the lock (a snapshot of volatile figures, consistent enough for estimates). */
  ModelLoad load(ModelQueue q) {
    return q.load(workers, clock.getAsLong());
  }

  private void workLoop() {
    WorkerScratch scratch = new WorkerScratch();
    lock.lock();
    try {
      while (running) {
        long now = clock.getAsLong();
        ModelQueue best = null;
        long bestReady = Long.MAX_VALUE;
        for (ModelQueue q : queues) {
          for (Job expired : q.expire(now)) {
            expired.fail(InferenceException.overloaded("deadline passed while queued for model '"
                + q.model.name() + "'", 1));
          }
          Job head = q.head();
          if (head == null) {
            continue;
          }
          long ready = q.readyAt(now, oldest(q));
          if (ready < bestReady || (ready == bestReady && head.priority < best.head().priority)) {
            best = q;
            bestReady = ready;
          }
        }
        if (best == null) {
          parked++;
          work.awaitUninterruptibly();
          parked--;
          continue;
        }
        if (bestReady > now) {
          work.awaitNanos(bestReady - now);
          continue;
        }
        List<Job> batch = best.drainBatch();
        boolean limited = best.head() != null;
        int rows = batch.stream().mapToInt(j -> j.rows).sum();
        best.inflightRows += rows;
        lock.unlock();
        long start = clock.getAsLong();
        try {
          runBatch(best.model, batch, scratch, start);
        } finally {
          long took = clock.getAsLong() - start;
          lock.lock();
          best.inflightRows -= rows;
          best.recordBatch(rows, took, start + took, limited);
        }
        listener.batchDone(best.model.name(), best.model.version(), rows, clock.getAsLong() - start);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      if (lock.isHeldByCurrentThread()) {
        lock.unlock();
      }
    }
  }

  private static long oldest(ModelQueue q) {
    // The head is the highest-priority job, which is the oldest of its level; good enough for the hold.
    return q.head().enqueuedNanos;
  }

  private static void runBatch(LoadedModel model, List<Job> batch, WorkerScratch scratch, long start) {
    try {
      List<InferResult> results = model.run(batch, scratch, start);
      for (int i = 0; i < batch.size(); i++) {
        batch.get(i).complete(results.get(i));
      }
    } catch (InferenceException e) {
      batch.forEach(j -> j.fail(e));
    } catch (Exception | Error e) {
      LOG.log(Level.SEVERE, "model " + model.name() + "/" + model.version() + " failed a batch of "
          + batch.size(), e);
      batch.forEach(j -> j.fail(e));
    }
  }

  /** Stops taking work, fails what is still queued, and waits for running batches to finish. */
  @Override
  public void close() {
    lock.lock();
    List<Job> left = new ArrayList<>();
    try {
      running = false;
      for (ModelQueue q : queues) {
        while (q.head() != null) {
          Job j = q.head();
          q.remove(j);
          left.add(j);
        }
      }
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
