package io.coedge.inference;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;

/**
 * One admitted request inside the scheduler. It is completed exactly once: the first of result,
 * failure or expiry wins, later attempts are ignored.
 */
final class Job {

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
}
