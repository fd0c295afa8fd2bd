package io.coedge.inference;

import java.util.List;

/**
 * The outputs of one request, with where its time went (µs); {@code times} splits the compute of the batch it ran
 * in (null when the answer came from elsewhere).
 */
public record InferResult(String model, String version, List<Tensor> outputs, long queueUs, long computeUs,
    ComputeTimes times) {

  public InferResult(String model, String version, List<Tensor> outputs, long queueUs, long computeUs) {
    this(model, version, outputs, queueUs, computeUs, null);
  }
}
