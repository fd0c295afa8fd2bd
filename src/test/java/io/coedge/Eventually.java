package io.coedge;

import java.util.function.BooleanSupplier;

/** Bounded waits for conditions that other threads, nodes or processes make true. */
public final class Eventually {

  private Eventually() {
  }

  /**
   * Polls {@code condition} every 10 ms; returns the milliseconds it took to hold.
   *
   * @throws AssertionError naming {@code what} when it does not hold within {@code timeoutMs}
   */
  public static long within(long timeoutMs, String what, BooleanSupplier condition) {
    long t0 = System.nanoTime();
    while (!condition.getAsBoolean()) {
      if ((System.nanoTime() - t0) / 1_000_000 > timeoutMs) {
        throw new AssertionError(what + ": not true within " + timeoutMs + " ms");
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for: " + what);
      }
    }
    return (System.nanoTime() - t0) / 1_000_000;
  }
}
