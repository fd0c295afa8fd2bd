package io.coedge.api.grpc;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.coedge.api.codec.CodecLimits;
import io.coedge.inference.DataType;
import io.coedge.inference.InferenceException;
import io.coedge.inference.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * {@code raw_input_contents} / {@code raw_output_contents}: a tensor's bytes in Triton's layout (little-endian,
 * row-major; BYTES as a 4-byte little-endian length before each element). Inputs are read in place (no copy).
 */
final class RawTensors {

  private RawTensors() {
  }

  static ByteBuffer fixed(String name, DataType type, ByteString raw, long count) {
    long want = count * type.size();
    if (raw.size() != want) {
      throw InferenceException.invalid("input '" + name + "': raw_input_contents holds " + raw.size() + " bytes, its "
          + "shape needs " + want + " (" + count + " " + type + " elements of " + type.size() + " bytes)");
    }
    ByteBuffer data = raw.asReadOnlyByteBuffer().slice().order(ByteOrder.LITTLE_ENDIAN);
    if (type == DataType.BOOL) {
      for (int i = 0; i < data.limit(); i++) {
        byte b = data.get(i);
        if (b != 0 && b != 1) {
          throw InferenceException.invalid("input '" + name + "': BOOL element " + i + " is " + (b & 0xFF)
              + ", not 0 or 1");
        }
      }
    }
    return data;
  }

  static byte[][] strings(String name, ByteString raw, long count, CodecLimits limits) {
    if (raw.size() > limits.maxTensorBytes()) {
      throw InferenceException.tooLarge("input '" + name + "' is larger than " + limits.maxTensorBytes() + " bytes");
    }
    if (count * 4 > raw.size()) {
      throw InferenceException.invalid("input '" + name + "': raw_input_contents of " + raw.size() + " bytes cannot "
          + "hold " + count + " length-prefixed BYTES elements");
    }
    ByteBuffer in = raw.asReadOnlyByteBuffer().slice().order(ByteOrder.LITTLE_ENDIAN);
    byte[][] out = new byte[(int) count][];
    for (int i = 0; i < count; i++) {
      if (in.remaining() < 4) {
        throw InferenceException.invalid("input '" + name + "': raw_input_contents ends before element " + i);
      }
      int len = in.getInt();
      if (len < 0 || len > in.remaining()) {
        throw InferenceException.invalid("input '" + name + "': element " + i + " declares " + Integer.toUnsignedLong(
            len) + " bytes, " + in.remaining() + " are left");
      }
      if (len > limits.maxStringBytes()) {
        throw InferenceException.tooLarge("input '" + name + "' element " + i + " is longer than "
            + limits.maxStringBytes() + " bytes");
      }
      out[i] = new byte[len];
      in.get(out[i]);
    }
    if (in.hasRemaining()) {
      throw InferenceException.invalid("input '" + name + "': raw_input_contents has " + in.remaining()
          + " bytes after its " + count + " elements");
    }
    return out;
  }

  /** The tensor's bytes for {@code raw_output_contents}; fixed-size data is wrapped, not copied. */
  static ByteString of(Tensor t) {
    if (t.type() != DataType.BYTES) {
      return UnsafeByteOperations.unsafeWrap(t.data().duplicate().position(0).limit(t.data().limit()));
    }
    ByteBuffer out = ByteBuffer.allocate((int) t.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
    for (byte[] s : t.strings()) {
      out.putInt(s.length).put(s);
    }
    return UnsafeByteOperations.unsafeWrap(out.array());
  }
}
