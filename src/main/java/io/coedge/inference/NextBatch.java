package io.coedge.inference;

import java.util.List;

/**
 * Which model's batch a free worker runs next: the scheduling policy, apart from the threads and the lock that
 * {@link Scheduler} owns. Jobs whose deadline passed fail first (the one place deadlines are enforced); then the
 * queue whose head is ready soonest wins ({@link ModelQueue#readyAt}), a higher-priority head on a tie, leaving out
 * a partial batch that waits for the running one. One per worker, used under the scheduler's lock; it keeps its
 * answer in fields, so a pick allocates nothing.
 */
final class NextBatch {

  /** The queue picked by the last {@link #pick}, or null when no queue holds a job. */
  ModelQueue queue;
  /** When {@link #queue}'s head may run (at most the {@code now} given when it may run at once). */
  long readyAt;

  /** Expires what is overdue in {@code queues} at {@code now}, then picks; see the fields for the answer. */
  void pick(List<ModelQueue> queues, long now) {
    queue = null;
    readyAt = Long.MAX_VALUE;
    for (ModelQueue q : queues) {
      for (Job expired : q.expire(now)) {
        expired.fail(InferenceException.overloaded("deadline passed while queued for model '"
            + q.model.name() + "'", 1));
      }
      Job head = q.head();
      if (head == null || waitsForRunning(q)) {
        continue; // nothing, or rows that the worker running this model takes when it is done
      }
      // The head is the highest-priority job, which is the oldest of its level; good enough for the hold.
      long ready = q.readyAt(now, head.enqueuedNanos);
      if (ready < readyAt || (ready == readyAt && head.priority < queue.head().priority)) {
        queue = q;
        readyAt = ready;
      }
    }
  }

  /**
   * True when {@code q}'s queued rows should wait for its batch that is running rather than run beside it: they do
   * not fill the cap and batching pays ({@link BatchTuner#batchingPays}). Two workers eagerly running a row or two
   * each kept a memory-bound model at ~1 row per batch under load, each row costing 5 times its share of a full
   * batch; waiting lets the worker running the model take them all next.
   */
  private static boolean waitsForRunning(ModelQueue q) {
    return q.inflightRows > 0 && q.queuedRows() < q.tuner.cap() && q.tuner.batchingPays();
  }
}
