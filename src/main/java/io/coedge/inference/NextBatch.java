package io.coedge.inference;

import java.util.List;

/**
 * Which model's batch a free worker runs next: the scheduling policy, apart from the threads and the lock that
 * {@link Scheduler} owns. Jobs whose deadline passed fail first (the one place deadlines are enforced); then the
 * queue whose head is ready soonest wins ({@link ModelQueue#readyAt}), a higher-priority head on a tie. One per
 * worker, used under the scheduler's lock; it keeps its answer in fields, so a pick allocates nothing.
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
      if (head == null) {
        continue;
      }
      // The head is the highest-priority job, which is the oldest of its level; good enough for the hold.
      long ready = q.readyAt(now, head.enqueuedNanos);
      if (ready < readyAt || (ready == readyAt && head.priority < queue.head().priority)) {
        queue = q;
        readyAt = ready;
      }
    }
  }
}
