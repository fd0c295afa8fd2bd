package io.coedge.api.codec;

import static io.coedge.api.codec.DecodeErrors.invalid;

import io.coedge.inference.DataType;
import io.coedge.inference.InferRequest;
import io.coedge.inference.RequestedOutput;
import io.coedge.inference.Tensor;
import io.coedge.inference.TensorSpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Triton's classification extension: an output asked for with {@code "parameters":{"classification":K}} is
 * answered as BYTES holding, per row, its K highest elements in descending order as {@code "score:index"}, or
 * {@code "score:index:label"} when the model's config lists one label per class. Rows: dimension 0 of an output
 * of rank 2 or more (shape [rows, K]); an output of rank 0 or 1 is one row (shape [K]).
 */
public final class Classification {

  private Classification() {
  }

  /** Refuses, before the model runs, a classification the model's outputs cannot give. */
  public static void check(InferRequest request, List<TensorSpec> outputs) {
    for (RequestedOutput o : request.outputs()) {
      if (o.classCount() == 0) {
        continue;
      }
      TensorSpec spec = outputs.stream().filter(s -> s.name().equals(o.name())).findFirst().orElse(null);
      if (spec == null) {
        continue; // the engine names the unknown output
      }
      if (spec.type() == DataType.BYTES || spec.type() == DataType.BOOL) {
        throw invalid("output '" + o.name() + "' is " + spec.type() + "; classification needs a numeric output");
      }
      long[] shape = spec.shape();
      long classes = shape.length == 0 ? 1 : shape[shape.length - 1];
      if (classes >= 0 && o.classCount() > classes) {
        throw invalid("output '" + o.name() + "' has " + classes + " classes; classification " + o.classCount()
            + " asks for more (allowed: 1 to " + classes + ")");
      }
    }
  }

  /** The top {@code k} (at most the class count) of each row of {@code t}, labelled when {@code labels} fit. */
  static Tensor classify(Tensor t, int k, List<String> labels) {
    long[] shape = t.shape();
    int count = (int) t.elementCount();
    int rows = shape.length >= 2 ? (int) shape[0] : 1;
    int classes = rows == 0 ? 0 : count / rows;
    int top = Math.min(k, classes);
    boolean labelled = labels != null && labels.size() == classes;
    double[] row = new double[classes];
    Integer[] order = new Integer[classes];
    byte[][] out = new byte[rows * top][];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < classes; c++) {
        row[c] = value(t, r * classes + c);
        order[c] = c;
      }
      Arrays.sort(order, (a, b) -> Double.compare(row[b], row[a])); // stable: ties keep the lower index first
      for (int i = 0; i < top; i++) {
        int c = order[i];
        String s = score(t.type(), row[c]) + ":" + c + (labelled ? ":" + labels.get(c) : "");
        out[r * top + i] = s.getBytes(StandardCharsets.UTF_8);
      }
    }
    long[] outShape = shape.length >= 2 ? new long[] {rows, top} : new long[] {top};
    return Tensor.bytes(t.name(), outShape, out);
  }

  /** As Triton prints it: floats with six decimals, integers as they are. */
  private static String score(DataType type, double v) {
    return switch (type) {
      case FP16, FP32, FP64 -> String.format(Locale.ROOT, "%f", v);
      default -> Long.toString((long) v);
    };
  }

  private static double value(Tensor t, int i) {
    ByteBuffer d = t.data();
    return switch (t.type()) {
      case UINT8 -> d.get(i) & 0xFF;
      case INT8 -> d.get(i);
      case UINT16 -> d.getShort(i * 2) & 0xFFFF;
      case INT16 -> d.getShort(i * 2);
      case UINT32 -> d.getInt(i * 4) & 0xFFFF_FFFFL;
      case INT32 -> d.getInt(i * 4);
      case UINT64 -> Double.parseDouble(Long.toUnsignedString(d.getLong(i * 8)));
      case INT64 -> d.getLong(i * 8);
      case FP16 -> Fp16.halfToFloat(d.getShort(i * 2));
      case FP32 -> d.getFloat(i * 4);
      case FP64 -> d.getDouble(i * 8);
      default -> throw new IllegalArgumentException("output '" + t.name() + "' of " + t.type()
          + " cannot be classified");
    };
  }
}
