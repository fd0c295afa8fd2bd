package io.coedge.inference;

import io.coedge.config.InferenceConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The lifecycle's threads: one control thread that decides (changes never interleave) and a pool that verifies
 * and loads versions in parallel. Neither is a Vert.x thread, so loading runs while Vert.x is still starting.
 */
final class LifecycleThreads {

  private static final Logger LOG = Logger.getLogger(LifecycleThreads.class.getName());

  private final ScheduledExecutorService control =
      Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "coedge-model-control"));
  private final ExecutorService loaders = Executors.newFixedThreadPool(InferenceConfig.CORES,
      r -> daemon(r, "coedge-model-load"));

  private final Set<Promise<?>> pending = ConcurrentHashMap.newKeySet();

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /** Runs {@code task} on the control thread; fails with a 503 once shut down. */
  <T> Future<T> decide(Callable<T> task) {
    Promise<T> p = Promise.promise();
    pending.add(p);
    p.future().onComplete(x -> pending.remove(p));
    try {
      control.execute(() -> {
        try {
          p.tryComplete(task.call());
        } catch (Exception | Error e) {
          p.tryFail(e);
        }
      });
    } catch (RejectedExecutionException e) {
      p.tryFail(InferenceException.overloaded("server is shutting down", 1));
    }
    return p.future();
  }

  /** Runs {@code task} on the control thread, or here once shut down (close() then cleans up what is left). */
  void later(Runnable task) {
    try {
      control.execute(task);
    } catch (RejectedExecutionException e) {
      task.run();
    }
  }

  void every(long seconds, Runnable task) {
    control.scheduleWithFixedDelay(task, seconds, seconds, TimeUnit.SECONDS);
  }

  <T> java.util.concurrent.Future<T> load(Callable<T> task) {
    return loaders.submit(task);
  }

  /**
   * Drops queued work (its callers hear "shutting down") and waits (bounded) for running loads: session creation
   * cannot be interrupted.
   */
  void close() {
    control.shutdownNow();
    loaders.shutdownNow();
    try {
      if (!loaders.awaitTermination(5, TimeUnit.MINUTES) || !control.awaitTermination(1, TimeUnit.MINUTES)) {
        LOG.severe("model loads still running at shutdown; their sessions are left open");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List.copyOf(pending).forEach(p -> p.tryFail(InferenceException.overloaded("server is shutting down", 1)));
  }
}
