package io.coedge.inference;

import java.util.Arrays;

/** A model input or output as the model declares it; -1 marks a dynamic dimension. */
public record TensorSpec(String name, DataType type, long[] shape) {

  /**
   * True when {@code actual} fits this spec: same rank, and equal wherever this spec is not -1; or, as Triton
   * accepts for an ONNX input it reshapes (dims [1], reshape []), one extra trailing dimension of 1 — [1] for a
   * scalar, [N, 1] for a batched [-1] (see {@link #modelShape}).
   */
  public boolean accepts(long[] actual) {
    int rank = actual.length == shape.length + 1 && actual[shape.length] == 1 ? shape.length : actual.length;
    if (rank != shape.length) {
      return false;
    }
    for (int i = 0; i < shape.length; i++) {
      if (shape[i] >= 0 && shape[i] != actual[i]) {
        return false;
      }
    }
    return true;
  }

  /** The shape the model takes for an accepted {@code actual}: without the trailing 1 Triton's reshape allows. */
  public long[] modelShape(long[] actual) {
    return actual.length == shape.length + 1 ? Arrays.copyOf(actual, shape.length) : actual.clone();
  }
}
