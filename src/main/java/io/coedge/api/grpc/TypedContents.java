package io.coedge.api.grpc;

import io.coedge.api.grpc.v2.InferTensorContents;
import io.coedge.inference.DataType;
import io.coedge.inference.InferenceException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Typed {@code contents} of an input, into the little-endian buffer a {@code Tensor} keeps: INT8/16/32 come in
 * {@code int_contents}, UINT8/16/32 in {@code uint_contents} (range-checked), 64-bit types and floats in their own
 * fields; FP16 has no typed field (send it raw).
 */
final class TypedContents {

  private TypedContents() {
  }

  static ByteBuffer read(String name, DataType type, InferTensorContents c, int count) {
    ByteBuffer b = ByteBuffer.allocate(count * type.size()).order(ByteOrder.LITTLE_ENDIAN);
    switch (type) {
      case BOOL -> {
        check(name, c.getBoolContentsCount(), count, "bool_contents");
        for (boolean v : c.getBoolContentsList()) {
          b.put((byte) (v ? 1 : 0));
        }
      }
      case INT8, INT16, INT32 -> {
        check(name, c.getIntContentsCount(), count, "int_contents");
        ints(name, type, c.getIntContentsList(), b, true);
      }
      case UINT8, UINT16, UINT32 -> {
        check(name, c.getUintContentsCount(), count, "uint_contents");
        ints(name, type, c.getUintContentsList(), b, false);
      }
      case INT64 -> {
        check(name, c.getInt64ContentsCount(), count, "int64_contents");
        c.getInt64ContentsList().forEach(b::putLong);
      }
      case UINT64 -> {
        check(name, c.getUint64ContentsCount(), count, "uint64_contents");
        c.getUint64ContentsList().forEach(b::putLong);
      }
      case FP32 -> {
        check(name, c.getFp32ContentsCount(), count, "fp32_contents");
        c.getFp32ContentsList().forEach(b::putFloat);
      }
      case FP64 -> {
        check(name, c.getFp64ContentsCount(), count, "fp64_contents");
        c.getFp64ContentsList().forEach(b::putDouble);
      }
      default -> throw InferenceException.invalid("input '" + name + "': " + type + " has no typed contents field; "
          + "send it in raw_input_contents");
    }
    return b.flip();
  }

  private static void check(String name, int got, int count, String field) {
    if (got != count) {
      throw InferenceException.invalid("input '" + name + "' has " + got + " " + field + " for " + count
          + " elements");
    }
  }

  private static void ints(String name, DataType type, List<Integer> values, ByteBuffer b, boolean signed) {
    int bits = type.size() * 8;
    for (int i = 0; i < values.size(); i++) {
      int v = values.get(i);
      boolean fits = bits == 32 || (signed ? v >= -(1 << (bits - 1)) && v < (1 << (bits - 1))
          : v >= 0 && v < (1 << bits));
      if (!fits) {
        throw InferenceException.invalid("input '" + name + "' element " + i + " (" + (signed ? v
            : Integer.toUnsignedLong(v)) + ") is out of range for " + type);
      }
      switch (type.size()) {
        case 1 -> b.put((byte) v);
        case 2 -> b.putShort((short) v);
        default -> b.putInt(v);
      }
    }
  }
}
