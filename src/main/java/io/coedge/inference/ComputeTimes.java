package io.coedge.inference;

/**
 * Where one batch's compute went, ns, in the steps of Triton's statistics: building the input tensors
 * ({@code compute_input}), running the session ({@code compute_infer}), copying the outputs out to each request
 * ({@code compute_output}). Every request of the batch carries the same instance.
 */
public record ComputeTimes(long inputNs, long inferNs, long outputNs) {

  public long totalNs() {
    return inputNs + inferNs + outputNs;
  }
}
