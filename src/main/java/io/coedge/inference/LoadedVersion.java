package io.coedge.inference;

/**
 * A loaded model version: its metadata, its session, its queue and its statistics. It is what a request's
 * {@link ModelHandle} holds, so a request that resolved it before a swap still runs on this session.
 */
final class LoadedVersion implements ModelHandle {

  final ModelVersion view;
  final OnnxModel model;
  final ModelQueue queue;
  final ModelStatistics stats;
  private final Scheduler scheduler;

  LoadedVersion(ModelVersion view, OnnxModel model, ModelQueue queue, ModelStatistics stats, Scheduler scheduler) {
    this.view = view;
    this.model = model;
    this.queue = queue;
    this.stats = stats;
    this.scheduler = scheduler;
  }

  @Override
  public ModelVersion view() {
    return view;
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
    return scheduler.load(queue);
  }
}
