package io.coedge.inference;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the requests a model version has taken and not yet answered, so that a retired version closes its
 * session only after the last of them: {@link #acquire} fails once {@link #drain} was called, and the drain action
 * runs exactly once, when the count reaches zero with the drain flag set.
 */
final class Lease {

  private static final long DRAINING = 1L << 62;
  private final AtomicLong state = new AtomicLong();
  private volatile Runnable onDrained;

  /** Takes one request; false when the version is draining (the caller resolves again). */
  boolean acquire() {
    while (true) {
      long s = state.get();
      if ((s & DRAINING) != 0) {
        return false;
      }
      if (state.compareAndSet(s, s + 1)) {
        return true;
      }
    }
  }

  /** Gives one request back; the last one out of a draining version runs the drain action. */
  void release() {
    if (state.decrementAndGet() == DRAINING) {
      fire();
    }
  }

  /** Stops taking requests; {@code then} runs when none is left (at once if none is running). */
  void drain(Runnable then) {
    onDrained = then;
    long before = state.getAndUpdate(s -> s | DRAINING);
    if ((before & DRAINING) == 0 && before == 0) {
      fire();
    }
  }

  boolean draining() {
    return (state.get() & DRAINING) != 0;
  }

  /** Requests taken and not yet answered. */
  long inFlight() {
    return state.get() & ~DRAINING;
  }

  private void fire() {
    // One transition to a value no other path produces: DRAINING | 0 -> -1 ensures a single run.
    if (state.compareAndSet(DRAINING, -1)) {
      onDrained.run();
    }
  }
}
