package io.coedge.routing;

import io.coedge.inference.DataType;
import io.coedge.inference.InferResult;
import io.coedge.inference.Tensor;
import java.nio.ByteBuffer;

/** Reads a classifier's confidence from an answer, for cascade mode. */
final class Confidence {

  private Confidence() {
  }

  /**
   * The lowest top-class probability over the rows of the first FP32 output (shape [rows, classes], or
   * [classes] for one row); NaN when there is no such output.
   */
  static double lowestTop(InferResult result) {
    for (Tensor t : result.outputs()) {
      if (t.type() != DataType.FP32 || t.shape().length == 0) {
        continue;
      }
      long[] shape = t.shape();
      int classes = (int) shape[shape.length - 1];
      ByteBuffer data = t.data();
      int n = data.limit() / 4;
      if (classes <= 0 || n == 0) {
        return Double.NaN;
      }
      double lowest = Double.POSITIVE_INFINITY;
      for (int row = 0; row + classes <= n; row += classes) {
        double top = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < classes; c++) {
          top = Math.max(top, data.getFloat((row + c) * 4));
        }
        lowest = Math.min(lowest, top);
      }
      return lowest;
    }
    return Double.NaN;
  }
}
