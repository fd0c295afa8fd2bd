package io.coedge.inference;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * One named tensor. Fixed-size types keep their elements row-major in a little-endian buffer
 * (position 0, limit = byte size); BYTES keeps one byte array per element.
 */
public record Tensor(String name, DataType type, long[] shape, ByteBuffer data, byte[][] strings) {

  public Tensor {
    if (type == DataType.BYTES) {
      if (strings == null || data != null) {
        throw new IllegalArgumentException("BYTES tensor '" + name + "' needs strings and no buffer");
      }
    } else if (data == null || strings != null) {
      throw new IllegalArgumentException(type + " tensor '" + name + "' needs a buffer and no strings");
    } else if (data.order() != ByteOrder.LITTLE_ENDIAN) {
      throw new IllegalArgumentException("tensor '" + name + "' buffer must be little-endian");
    }
  }

  public static Tensor fixed(String name, DataType type, long[] shape, ByteBuffer data) {
    return new Tensor(name, type, shape, data, null);
  }

  public static Tensor bytes(String name, long[] shape, byte[][] strings) {
    return new Tensor(name, DataType.BYTES, shape, null, strings);
  }

  /** Number of elements the shape describes. Callers validate shapes before building tensors. */
  public long elementCount() {
    return elementCount(shape);
  }

  public static long elementCount(long[] shape) {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    return n;
  }

  /** Bytes this tensor occupies in Triton's binary layout (BYTES: 4-byte length prefix per element). */
  public long byteSize() {
    if (type != DataType.BYTES) {
      return data.limit();
    }
    long n = 0;
    for (byte[] s : strings) {
      n += 4 + s.length;
    }
    return n;
  }

  @Override
  public String toString() {
    return "Tensor[" + name + ", " + type + ", " + Arrays.toString(shape) + "]";
  }
}
