package io.coedge.inference;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One admitted request inside the scheduler. It is completed exactly once: the first of result,
 * failure or expiry wins, later attempts are ignored.
 */
final class Job {

  private static final Logger LOG = Logger.getLogger(Job.class.getName());

  final InferRequest request;
  final LoadedModel model;
  final long enqueuedNanos;
  final long deadlineNanos;
  final int priority;
  final long seq;
  final int rows;
  private final BiConsumer<InferResult, Throwable> callback;
  private final AtomicBoolean done = new AtomicBoolean();

  Job(InferRequest request, LoadedModel model, long enqueuedNanos, long deadlineNanos, int priority, long seq,
      int rows, BiConsumer<InferResult, Throwable> callback) {
    this.request = request;
    this.model = model;
    this.enqueuedNanos = enqueuedNanos;
    this.deadlineNanos = deadlineNanos;
    this.priority = priority;
    this.seq = seq;
    this.rows = rows;
    this.callback = callback;
  }

  boolean complete(InferResult result) {
    if (done.compareAndSet(false, true)) {
      callback.accept(result, null);
      return true;
    }
    return false;
  }

  boolean fail(Throwable error) {
    if (done.compareAndSet(false, true)) {
      callback.accept(null, error);
      return true;
    }
    return false;
  }

  /** The rows of {@code batch}, all jobs together. */
  static int rows(List<Job> batch) {
    int rows = 0;
    for (Job j : batch) {
      rows += j.rows;
    }
    return rows;
  }

  /**
   * Runs {@code batch} as one batch of {@code model} on the calling thread and settles each job: with its own
   * result, or with the batch's failure (a backend fault is logged once for the batch).
   */
  static void run(LoadedModel model, List<Job> batch, WorkerScratch scratch, long startNanos) {
    try {
      List<InferResult> results = model.run(batch, scratch, startNanos);
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
}
