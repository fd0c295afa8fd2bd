package io.coedge;

import io.vertx.core.Future;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * The tests' one way to wait: for a future, or for a condition that other threads, nodes or processes make true.
 * Every bound here only stops a hang from blocking the build; none is a claim about speed (figures belong in
 * {@code bench/}), so keep bounds generous: a busy 2-core machine must never reach them.
 */
public final class Eventually {

  /** How long a future may take before the test is declared hung. */
  public static final long FUTURE_TIMEOUT_S = 120;

  private Eventually() {
  }

  /**
   * The result of {@code f}, waiting for it from a test thread (never an event loop).
   *
   * @throws AssertionError carrying the future's failure when it fails, or saying it hung
   */
  public static <T> T await(Future<T> f) {
    waitFor(f);
    if (f.failed()) {
      throw new AssertionError("failed: " + f.cause(), f.cause());
    }
    return f.result();
  }

  /**
   * The cause of {@code f}'s failure.
   *
   * @throws AssertionError naming the result when {@code f} succeeds, or saying it hung
   */
  public static Throwable failure(Future<?> f) {
    waitFor(f);
    if (f.succeeded()) {
      throw new AssertionError("expected a failure, got " + f.result());
    }
    return f.cause();
  }

  private static void waitFor(Future<?> f) {
    try {
      f.toCompletionStage().toCompletableFuture().get(FUTURE_TIMEOUT_S, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      // f.failed() says so and f.cause() is the original failure
    } catch (TimeoutException e) {
      throw new AssertionError("no outcome within " + FUTURE_TIMEOUT_S + " s (hung)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /**
   * Polls {@code condition} every 10 ms until it holds.
   *
   * @param timeoutMs only bounds a hang: pick many times what the condition takes on a busy machine
   * @throws AssertionError naming {@code what} when it does not hold within {@code timeoutMs}
   */
  public static void within(long timeoutMs, String what, BooleanSupplier condition) {
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - end > 0) {
        throw new AssertionError(what + ": not true within " + timeoutMs + " ms");
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for: " + what);
      }
    }
  }
}
