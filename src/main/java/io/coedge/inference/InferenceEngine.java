package io.coedge.inference;

import io.vertx.core.Future;
import java.util.List;

/** Runs inference for the node: a repository of model versions and a scheduler in front of them. */
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
  ModelVersion resolve(String model, String version);

  /** Validates, queues and runs one request; fails with an {@link InferenceException} a client can act on. */
  Future<InferResult> infer(InferRequest request);

  /**
   * What the loaded versions did here since they loaded (Triton's statistics extension), in {@link #models()}
   * order: every version of every model when {@code model} is null, every version of {@code model} when
   * {@code version} is null. Empty when nothing loaded matches.
   */
  List<ModelStatistics.Snapshot> statistics(String model, String version);

  /** Expected time for a new request on this model version to complete locally, µs (0 when unknown). */
  double estimateUs(String model, String version);

  /** A snapshot of this model version's queue and service statistics. */
  ModelLoad load(String model, String version);

  /** Requests waiting in this model version's queue. */
  int pending(String model, String version);

  /** Live model changes; an engine without them answers every load and unload with a 400. */
  default ModelControl control() {
    return ModelControl.fixed(this);
  }

  /** True once {@link #start()} has completed. */
  boolean started();

  /** Refuses new work, fails what is queued, lets running batches finish, closes sessions. */
  Future<Void> close();
}
