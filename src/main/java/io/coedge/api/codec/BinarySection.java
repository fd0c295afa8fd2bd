package io.coedge.api.codec;

import static io.coedge.api.codec.DecodeErrors.invalid;
import static io.coedge.api.codec.DecodeErrors.shape;

import io.coedge.inference.DataType;
import io.coedge.inference.InferenceException;
import io.coedge.inference.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The bytes after the JSON part (binary_tensor_data extension, Triton's layout): inputs with
 * {@code binary_data_size} take their bytes from here in input order, and all of it must be used.
 * A fixed-size tensor is a view of its bytes in the body, not a copy: the request holds its body until it is
 * answered anyway (an offload relays it), and the worker copies each input once, into its direct batch buffer.
 * The body's array must not change while the request lives (the HTTP body never does).
 */
final class BinarySection {

  private final byte[] body;
  private final int end;
  private final boolean present;
  private final CodecLimits limits;
  private int pos;

  /** {@code present} is false when the request had no Inference-Header-Content-Length header. */
  BinarySection(byte[] body, int start, int end, boolean present, CodecLimits limits) {
    this.body = body;
    this.pos = start;
    this.end = end;
    this.present = present;
    this.limits = limits;
  }

  Tensor take(String label, String name, DataType type, long[] shape, int count, long size) {
    if (!present) {
      throw invalid(label + " declares binary_data_size " + size + " but the request has no binary section"
          + " (send the Inference-Header-Content-Length header with the length of the JSON part)");
    }
    int left = end - pos;
    if (size > left) {
      throw invalid("binary section has " + left + " bytes left, " + label + " declares binary_data_size " + size);
    }
    int n = (int) size;
    Tensor tensor = type == DataType.BYTES ? strings(label, name, shape, count, n)
        : fixed(label, name, type, shape, count, n);
    pos += n;
    return tensor;
  }

  /** After the last input: every byte of the binary section must have been claimed. */
  void finish() {
    if (pos != end) {
      throw invalid("binary section has " + (end - pos) + " bytes left over after the last binary input;"
          + " binary_data_size values must add up to the section's length");
    }
  }

  private Tensor fixed(String label, String name, DataType type, long[] shape, int count, int size) {
    long expected = (long) count * type.size();
    if (size != expected) {
      throw invalid(label + ": binary_data_size " + size + " does not match shape " + shape(shape) + " of " + type
          + ", which needs " + expected + " bytes");
    }
    if (type == DataType.BOOL) {
      for (int i = 0; i < size; i++) {
        byte b = body[pos + i];
        if (b != 0 && b != 1) {
          throw invalid(label + ": element " + i + " is not a boolean: BOOL binary data holds one byte, 0 or 1,"
              + " per element, got " + (b & 0xFF));
        }
      }
    }
    ByteBuffer data = ByteBuffer.wrap(body, pos, size).slice().order(ByteOrder.LITTLE_ENDIAN);
    return Tensor.fixed(name, type, shape, data);
  }

  /** Per element a 4-byte little-endian length, then that many bytes. */
  private Tensor strings(String label, String name, long[] shape, int count, int size) {
    if (size > limits.maxTensorBytes()) {
      throw InferenceException.tooLarge(label + ": binary_data_size " + size + " is larger than "
          + limits.maxTensorBytes() + " bytes (limit maxTensorBytes)");
    }
    if ((long) count * 4 > size) {
      throw invalid(label + ": binary_data_size " + size + " cannot hold the " + count + " elements of shape "
          + shape(shape) + " (each needs a 4-byte length)");
    }
    byte[][] values = new byte[count][];
    int at = pos;
    int stop = pos + size;
    for (int i = 0; i < count; i++) {
      if (stop - at < 4) {
        throw invalid(label + ": binary data ends inside the length of element " + i);
      }
      long length = Integer.toUnsignedLong(body[at] & 0xFF | (body[at + 1] & 0xFF) << 8
          | (body[at + 2] & 0xFF) << 16 | (body[at + 3] & 0xFF) << 24);
      at += 4;
      if (length > limits.maxStringBytes()) {
        throw JsonTensorReader.tooLong(label, i, limits);
      }
      if (length > stop - at) {
        throw invalid(label + ": element " + i + " declares " + length + " bytes but only " + (stop - at)
            + " are left in its binary_data_size");
      }
      values[i] = Arrays.copyOfRange(body, at, at + (int) length);
      at += (int) length;
    }
    if (at != stop) {
      throw invalid(label + ": binary_data_size " + size + " holds " + (stop - at) + " bytes more than the "
          + count + " elements of shape " + shape(shape));
    }
    return Tensor.bytes(name, shape, values);
  }
}
