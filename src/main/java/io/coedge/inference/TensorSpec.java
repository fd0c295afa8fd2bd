package io.coedge.inference;

/** A model input or output as the model declares it; -1 marks a dynamic dimension. */
public record TensorSpec(String name, DataType type, long[] shape) {

  /** True when {@code actual} fits this spec: same rank, and equal wherever this spec is not -1. */
  public boolean accepts(long[] actual) {
    if (actual.length != shape.length) {
      return false;
    }
    for (int i = 0; i < shape.length; i++) {
      if (shape[i] >= 0 && shape[i] != actual[i]) {
        return false;
      }
    }
    return true;
  }
}
