package io.coedge.inference;

/**
 * A place in one model version's queue, handed out by {@link InferenceEngine#acquire}: admission is a value
 * (an empty Optional when the queue is full or the engine closing), not an exception. Used once, by
 * {@link InferenceEngine#infer}, at once.
 */
public final class Permit {

  private final ModelHandle model;

  public Permit(ModelHandle model) {
    this.model = model;
  }

  public ModelHandle model() {
    return model;
  }
}
