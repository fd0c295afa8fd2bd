package io.coedge.inference;

import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;

/**
 * Runs inference for the node: a repository of model versions and a scheduler in front of them. One request
 * takes one {@link #handle}, validates against it, takes a {@link #acquire permit} and runs with {@link #infer}.
 */
public interface InferenceEngine {

  /** Loads every model version found in the repository; completes when each has loaded or failed. */
  Future<Void> start();

  /** Every model version found, in name then version order, whatever its state. */
  List<ModelVersion> models();

  /**
   * The version a request is served by: the pinned one, or the highest ready version.
   *
   * @throws InferenceException.NotFound naming the model or version when there is none ready
   */
  ModelHandle handle(String model, String version);

  /** The metadata of {@link #handle}. */
  default ModelVersion resolve(String model, String version) {
    return handle(model, version).view();
  }

  /** A place in the version's queue; empty when the queue is full or the engine is closing (no permit). */
  Optional<Permit> acquire(ModelHandle model);

  /**
   * Runs a request {@link ModelHandle#validate validated} at {@code rows} rows on its permit's version.
   *
   * @param remainingUs what is left of the request's deadline, µs (0 = none); a request still queued when it
   *                    passes fails with a 503
   */
  Future<InferResult> infer(Permit permit, InferRequest request, int rows, long remainingUs);

  /**
   * What the loaded versions did here since they loaded (Triton's statistics extension), in {@link #models()}
   * order: every version of every model when {@code model} is null, every version of {@code model} when
   * {@code version} is null. Empty when nothing loaded matches.
   */
  List<ModelStatistics.Snapshot> statistics(String model, String version);

  /** A snapshot of this model version's queue and service statistics. */
  default ModelLoad load(String model, String version) {
    return handle(model, version).load();
  }

  /** Live model changes; an engine without them answers every load and unload with a 400. */
  default ModelControl control() {
    return ModelControl.fixed(this);
  }

  /** True once {@link #start()} has completed. */
  boolean started();

  /** Refuses new work, fails what is queued, lets running batches finish, closes sessions. */
  Future<Void> close();
}
