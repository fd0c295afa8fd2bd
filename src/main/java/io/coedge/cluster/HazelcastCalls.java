package io.coedge.cluster;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The one way Coedge calls Hazelcast operations that may block (a ReplicatedMap {@code put} waits for the
 * partition owner): they run on one dedicated thread, in submission order (so this node's own writes land
 * in the order they were made), and their result comes back as a {@link Future} on the caller's context.
 */
public final class HazelcastCalls implements AutoCloseable {

  private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "coedge-cluster-writer");
    t.setDaemon(true);
    return t;
  });

  /**
   * Runs {@code call} on the Hazelcast thread; the Future completes on the current Vert.x context, if any.
   * After {@link #close()} it fails at once instead of throwing.
   */
  public <T> Future<T> call(Supplier<T> call) {
    try {
      return toFuture(CompletableFuture.supplyAsync(call, thread));
    } catch (RejectedExecutionException e) {
      return Future.failedFuture(new IllegalStateException("cluster view closed"));
    }
  }

  /** Turns a stage into a Future on the caller's context (or a plain one outside Vert.x threads). */
  static <T> Future<T> toFuture(CompletionStage<T> stage) {
    Context ctx = Vertx.currentContext();
    return ctx == null ? Future.fromCompletionStage(stage) : Future.fromCompletionStage(stage, ctx);
  }

  /** Lets queued calls finish, then ends the thread; does not wait. */
  @Override
  public void close() {
    thread.shutdown();
  }
}
