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
 * loop) that form dynamic batches. Admission is a value: {@link #offer} says why a job was refused.
 */
public final class Scheduler implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(Scheduler.class.getName());

  /** Why a job was not queued; null from {@link #offer} means it was. */
  public enum Rejection { QUEUE_FULL, DEADLINE, SHUTTING_DOWN }

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

  public int workers() {
    return workers;
  }

  ModelQueue register(LoadedModel model) {
    lock.lock();
    try {
      ModelQueue q = new ModelQueue(model);
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

  /** Queues the job or says why not; a job whose deadline the estimate says it cannot meet is refused. */
  Rejection offer(ModelQueue q, Job job) {
    lock.lock();
    try {
      if (!running) {
        return Rejection.SHUTTING_DOWN;
      }
      if (q.size() >= q.model.config().maxQueue()) {
        return Rejection.QUEUE_FULL;
      }
      long now = clock.getAsLong();
      if (job.deadlineNanos != Long.MAX_VALUE && now + (long) (q.estimateUs(workers) * 1000) > job.deadlineNanos) {
        return Rejection.DEADLINE;
      }
      q.add(job, now);
      work.signal();
      return null;
    } finally {
      lock.unlock();
    }
  }

  /** Removes a job that is still waiting; true if it was (the caller then answers it). */
  boolean cancel(ModelQueue q, Job job) {
    lock.lock();
    try {
      return q.remove(job);
    } finally {
      lock.unlock();
    }
  }

  /** Expected completion time of a new request on this queue, µs. */
  double estimateUs(ModelQueue q) {
    lock.lock();
    try {
      return q.estimateUs(workers);
    } finally {
      lock.unlock();
    }
  }

  ModelLoad load(ModelQueue q) {
    lock.lock();
    try {
      return new ModelLoad(q.size(), q.inflightRows, q.serviceUs(), q.batchRows(), workers, q.estimateUs(workers));
    } finally {
      lock.unlock();
    }
  }

  int pending(ModelQueue q) {
    lock.lock();
    try {
      return q.size();
    } finally {
      lock.unlock();
    }
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
          work.awaitUninterruptibly();
          continue;
        }
        if (bestReady > now) {
          work.awaitNanos(bestReady - now);
          continue;
        }
        List<Job> batch = best.drainBatch();
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
          best.recordBatch(rows, took);
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
  }
}
