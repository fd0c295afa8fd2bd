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

  /** Takes a place in {@code q} for one job; false when it is full (permits included) or closing. */
  boolean reserve(ModelQueue q) {
    lock.lock();
    try {
      if (!running || !q.hasRoom()) {
        return false;
      }
      q.reserved++;
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** Queues a job on the place {@link #reserve} gave it; false (nothing queued) once the scheduler closed. */
  boolean offer(ModelQueue q, Job job) {
    lock.lock();
    try {
      q.reserved--;
      if (!running) {
        return false;
      }
      q.add(job, clock.getAsLong());
      work.signal();
      return true;
    } finally {
      lock.unlock();
    }
  }

  ModelLoad load(ModelQueue q) {
    lock.lock();
    try {
      return q.load(workers, clock.getAsLong());
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
  }
}
