package io.coedge.api.codec;

import static io.coedge.api.codec.DecodeErrors.describe;
import static io.coedge.api.codec.DecodeErrors.invalid;
import static io.coedge.api.codec.DecodeErrors.quote;
import static io.coedge.api.codec.DecodeErrors.shape;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonParser.NumberType;
import com.fasterxml.jackson.core.JsonToken;
import io.coedge.inference.DataType;
import io.coedge.inference.InferenceException;
import io.coedge.inference.Tensor;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Streams one input's JSON {@code data} (flat or nested, flattened row-major) into a tensor: numbers go
 * straight into a little-endian buffer of exactly the declared size, without boxing. The element count
 * has already been checked against the limits and the room left in the body.
 */
final class JsonTensorReader {

  private static final double TWO_63 = 0x1p63;
  private static final double TWO_64 = 0x1p64;

  private final JsonParser p;
  private final String name;
  private final int index;
  private final DataType type;

  private JsonTensorReader(JsonParser p, String name, int index, DataType type) {
    this.p = p;
    this.name = name;
    this.index = index;
    this.type = type;
  }

  /**
   * The parser sits on the {@code START_ARRAY} of {@code data}; returns with it on the matching end.
   * {@code name} (null if not seen yet) and {@code index} only serve error messages.
   */
  static Tensor read(JsonParser p, String name, int index, DataType type, long[] shape, int count,
      CodecLimits limits) throws IOException {
    return new JsonTensorReader(p, name, index, type).read(shape, count, limits);
  }

  /** Built only when a message needs it: no string work on the happy path. */
  private String label() {
    return DecodeErrors.label(name, index);
  }

  private Tensor read(long[] shape, int count, CodecLimits limits) throws IOException {
    boolean strings = type == DataType.BYTES;
    ByteBuffer buf = strings ? null : ByteBuffer.allocate(count * type.size()).order(ByteOrder.LITTLE_ENDIAN);
    byte[][] values = strings ? new byte[count][] : null;
    long stringBytes = 0;
    int maxDepth = Math.max(1, shape.length);
    int depth = 1;
    long seen = 0;
    while (true) {
      JsonToken t = p.nextToken();
      if (t == JsonToken.START_ARRAY) {
        if (++depth > maxDepth) {
          throw invalid(label() + ": data is nested deeper than its shape " + shape(shape) + " allows (at most "
              + maxDepth + (maxDepth == 1 ? " level" : " levels") + " of arrays)");
        }
      } else if (t == JsonToken.END_ARRAY) {
        if (--depth == 0) {
          break;
        }
      } else if (t == null || t == JsonToken.START_OBJECT) {
        throw invalid(label() + ": element " + seen + " is " + describe(t) + ", not a " + what(type));
      } else {
        if (seen < count) {
          int i = (int) seen;
          if (strings) {
            byte[] s = string(t, i, limits);
            stringBytes += 4 + s.length;
            if (stringBytes > limits.maxTensorBytes()) {
              throw InferenceException.tooLarge(label() + ": BYTES data is larger than " + limits.maxTensorBytes()
                  + " bytes (limit maxTensorBytes)");
            }
            values[i] = s;
          } else {
            put(t, buf, i);
          }
        }
        seen++;
      }
    }
    if (seen != count) {
      throw invalid(label() + ": shape " + shape(shape) + " needs " + count + " elements, data has " + seen);
    }
    return strings ? Tensor.bytes(name, shape, values) : Tensor.fixed(name, type, shape, buf);
  }

  private void put(JsonToken t, ByteBuffer b, int i) throws IOException {
    switch (type) {
      case BOOL -> b.put(i, bool(t, i));
      case UINT8 -> b.put(i, (byte) integer(t, i, 0, 0xFF));
      case INT8 -> b.put(i, (byte) integer(t, i, Byte.MIN_VALUE, Byte.MAX_VALUE));
      case UINT16 -> b.putShort(i << 1, (short) integer(t, i, 0, 0xFFFF));
      case INT16 -> b.putShort(i << 1, (short) integer(t, i, Short.MIN_VALUE, Short.MAX_VALUE));
      case UINT32 -> b.putInt(i << 2, (int) integer(t, i, 0, 0xFFFF_FFFFL));
      case INT32 -> b.putInt(i << 2, (int) integer(t, i, Integer.MIN_VALUE, Integer.MAX_VALUE));
      case INT64 -> b.putLong(i << 3, integer(t, i, Long.MIN_VALUE, Long.MAX_VALUE));
      case UINT64 -> b.putLong(i << 3, uint64(t, i));
      case FP16 -> b.putShort(i << 1, half(t, i));
      case FP32 -> b.putFloat(i << 2, fp32(t, i));
      case FP64 -> b.putDouble(i << 3, fp64(t, i));
      default -> throw new IllegalStateException("no fixed-size layout for " + type);
    }
  }

  private byte bool(JsonToken t, int i) throws IOException {
    if (t == JsonToken.VALUE_TRUE) {
      return 1;
    }
    if (t == JsonToken.VALUE_FALSE) {
      return 0;
    }
    if (t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == NumberType.INT) {
      int v = p.getIntValue();
      if (v == 0 || v == 1) {
        return (byte) v;
      }
    }
    throw invalid(label() + ": element " + i + " is not a boolean (true, false, 0 or 1), got " + shown(t));
  }

  /** An integer in [min, max]; integral floats such as 2.0 or 1e3 are accepted, fractions are not. */
  private long integer(JsonToken t, int i, long min, long max) throws IOException {
    if (t == JsonToken.VALUE_NUMBER_INT) {
      NumberType n = p.getNumberType();
      if (n == NumberType.INT || n == NumberType.LONG) {
        long v = n == NumberType.INT ? p.getIntValue() : p.getLongValue();
        if (v >= min && v <= max) {
          return v;
        }
      }
      throw outOfRange(i, type, min + ".." + max);
    }
    if (t == JsonToken.VALUE_NUMBER_FLOAT) {
      double d = p.getDoubleValue();
      if (d != Math.rint(d) && !Double.isInfinite(d)) {
        throw invalid(label() + ": element " + i + " (" + clip() + ") is not an integer, as " + type + " requires");
      }
      if (d < min || d >= max + 1.0) {
        throw outOfRange(i, type, min + ".." + max);
      }
      return (long) d;
    }
    throw notNumber(t, i);
  }

  /** 0..2^64-1, stored as the long with the same bits. */
  private long uint64(JsonToken t, int i) throws IOException {
    String range = "0..18446744073709551615";
    if (t == JsonToken.VALUE_NUMBER_INT) {
      if (p.getNumberType() != NumberType.BIG_INTEGER) {
        long v = p.getLongValue();
        if (v >= 0) {
          return v;
        }
      } else {
        BigInteger v = p.getBigIntegerValue();
        if (v.signum() >= 0 && v.bitLength() <= 64) {
          return v.longValue();
        }
      }
      throw outOfRange(i, DataType.UINT64, range);
    }
    if (t == JsonToken.VALUE_NUMBER_FLOAT) {
      double d = p.getDoubleValue();
      if (d != Math.rint(d) && !Double.isInfinite(d)) {
        throw invalid(label() + ": element " + i + " (" + clip() + ") is not an integer, as UINT64 requires");
      }
      if (d < 0 || d >= TWO_64) {
        throw outOfRange(i, DataType.UINT64, range);
      }
      return d < TWO_63 ? (long) d : (long) (d - TWO_63) ^ Long.MIN_VALUE;
    }
    throw notNumber(t, i);
  }

  /**
   * A finite JSON number too large for the type is refused rather than turned into infinity. The number is
   * rounded to float first, then to half: a double rounding that can differ from direct decimal-to-half
   * rounding only for decimals within a float ulp of a half-way point, which no client sends on purpose.
   */
  private short half(JsonToken t, int i) throws IOException {
    if (!t.isNumeric()) {
      throw notNumber(t, i);
    }
    short h = Fp16.floatToHalf(p.getFloatValue());
    if ((h & 0x7FFF) == 0x7C00) {
      throw outOfRange(i, DataType.FP16, "±65504");
    }
    return h;
  }

  private float fp32(JsonToken t, int i) throws IOException {
    if (!t.isNumeric()) {
      throw notNumber(t, i);
    }
    float f = p.getFloatValue();
    if (Float.isInfinite(f)) {
      throw outOfRange(i, DataType.FP32, "±3.4028235E38");
    }
    return f;
  }

  private double fp64(JsonToken t, int i) throws IOException {
    if (!t.isNumeric()) {
      throw notNumber(t, i);
    }
    double d = p.getDoubleValue();
    if (Double.isInfinite(d)) {
      throw outOfRange(i, DataType.FP64, "±1.7976931348623157E308");
    }
    return d;
  }

  private byte[] string(JsonToken t, int i, CodecLimits limits) throws IOException {
    if (t != JsonToken.VALUE_STRING) {
      throw invalid(label() + ": element " + i + " is not a string, as BYTES requires, got " + describe(t));
    }
    // Cheap pre-check: a string of n chars has at least n UTF-8 bytes.
    if (p.getTextLength() > limits.maxStringBytes()) {
      throw tooLong(label(), i, limits);
    }
    // A lone surrogate escape ("\ud800") has no UTF-8 form and becomes '?', as String.getBytes does.
    byte[] s = p.getText().getBytes(StandardCharsets.UTF_8);
    if (s.length > limits.maxStringBytes()) {
      throw tooLong(label(), i, limits);
    }
    return s;
  }

  static InferenceException tooLong(String label, long i, CodecLimits limits) {
    return InferenceException.tooLarge(label + ": element " + i + " is longer than " + limits.maxStringBytes()
        + " bytes (limit maxStringBytes)");
  }

  private InferenceException notNumber(JsonToken t, int i) throws IOException {
    return invalid(label() + ": element " + i + " is not a number, got " + shown(t));
  }

  private InferenceException outOfRange(int i, DataType type, String range) throws IOException {
    return invalid(label() + ": element " + i + " (" + clip() + ") is out of range for " + type + " (" + range + ")");
  }

  private String shown(JsonToken t) throws IOException {
    return t == JsonToken.VALUE_STRING ? "the string " + quote(p.getText()) : describe(t);
  }

  private String clip() throws IOException {
    String s = p.getText();
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }

  private static String what(DataType type) {
    return switch (type) {
      case BOOL -> "boolean";
      case BYTES -> "string";
      default -> "number";
    };
  }
}
