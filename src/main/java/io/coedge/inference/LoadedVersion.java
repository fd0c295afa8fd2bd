package io.coedge.inference;

/**
 * A loaded model version: its metadata, its session, its queue, its statistics and the lease that drains it.
 * It is what a request's {@link ModelHandle} holds, so a request that resolved it before a swap still runs on
 * this session, and the session closes only after the last such request answered.
 */
final class LoadedVersion implements ModelHandle {

  final ModelVersion view;
  final OnnxModel model;
  final ModelQueue queue;
  final ModelStatistics stats;
  final Lease lease;
  private final Scheduler scheduler;
  private final Calibration calibration = new Calibration();

  LoadedVersion(ModelVersion view, OnnxModel model, ModelQueue queue, ModelStatistics stats, Lease lease,
      Scheduler scheduler) {
    this.view = view;
    this.model = model;
    this.queue = queue;
    this.stats = stats;
    this.lease = lease;
    this.scheduler = scheduler;
  }

  @Override
  public ModelVersion view() {
    return view;
  }

  OnnxModel model() {
    return model;
  }

  ModelQueue queue() {
    return queue;
  }

  ModelStatistics stats() {
    return stats;
  }

  Lease lease() {
    return lease;
  }

  /** Validation failures count as failed requests of this version (Triton counts them too). */
  @Override
  public int validate(InferRequest request) {
    long t0 = System.nanoTime();
    try {
      return RequestValidator.validate(request, view, model.batched());
    } catch (InferenceException e) {
      stats.failed(System.nanoTime() - t0);
      throw e;
    }
  }

  @Override
  public ModelLoad load() {
    ModelLoad l = scheduler.load(queue);
    double q = l.queueingUs();
    return q == 0 ? l : new ModelLoad(l.queued(), l.inflightRows(), l.serviceUs(), l.batchRows(), l.workers(),
        l.idleUs(), calibration.estimateUs(l, q));
  }

  @Override
  public void answered(ModelLoad admittedWith, double observedUs) {
    calibration.observed(admittedWith, observedUs);
  }

  /** True when a request validated against {@code other} is valid here too (same inputs and outputs). */
  boolean sameSignature(LoadedVersion other) {
    return same(view.inputs(), other.view.inputs()) && same(view.outputs(), other.view.outputs());
  }

  private static boolean same(java.util.List<TensorSpec> a, java.util.List<TensorSpec> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      TensorSpec x = a.get(i);
      TensorSpec y = b.get(i);
      if (!x.name().equals(y.name()) || x.type() != y.type() || !java.util.Arrays.equals(x.shape(), y.shape())) {
        return false;
      }
    }
    return true;
  }
}
