package io.coedge.inference;

import java.util.List;

/** One model version ready to run batches; the scheduler's view of a backend. */
interface LoadedModel {

  String name();

  String version();

  ModelConfig config();

  List<TensorSpec> inputs();

  List<TensorSpec> outputs();

  /** True when requests may be coalesced along dimension 0, up to {@code config().maxBatchSize()} rows. */
  boolean batched();

  /**
   * Runs the jobs as one batch on the calling worker thread and returns one result per job, in order.
   * Throws when the backend fails; the scheduler then fails every job of the batch.
   */
  List<InferResult> run(List<Job> batch, WorkerScratch scratch, long startNanos) throws Exception;

  /** This model without an emulated slowdown ({@link SlowerHardware}); a real backend is its own. */
  default LoadedModel real() {
    return this;
  }

  /** What a batch of {@code rows} that took {@code realNanos} on {@link #real()} costs on this backend. */
  default long emulatedNanos(long realNanos, int rows) {
    return realNanos;
  }
}
