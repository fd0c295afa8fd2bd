package io.coedge.api.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import io.coedge.inference.DataType;
import io.coedge.inference.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Writes a tensor's elements as a flat JSON array. FP16 goes out as the float it equals, UINT32/UINT64
 * as unsigned numbers, BOOL as true/false, BYTES as strings (the caller sends non-UTF-8 BYTES binary),
 * and non-finite floats as the strings "NaN", "Infinity" and "-Infinity", since JSON has no literal
 * for them and the strings are what Python's and JavaScript's parsers produce and accept most readily.
 */
final class JsonTensorWriter {

  private JsonTensorWriter() {
  }

  static void write(JsonGenerator g, Tensor t) throws IOException {
    g.writeStartArray();
    if (t.type() == DataType.BYTES) {
      for (byte[] s : t.strings()) {
        g.writeUTF8String(s, 0, s.length);
      }
      g.writeEndArray();
      return;
    }
    ByteBuffer b = t.data();
    int n = b.limit() / t.type().size();
    switch (t.type()) {
      case BOOL -> {
        for (int i = 0; i < n; i++) {
          g.writeBoolean(b.get(i) != 0);
        }
      }
      case UINT8 -> {
        for (int i = 0; i < n; i++) {
          g.writeNumber(b.get(i) & 0xFF);
        }
      }
      case INT8 -> {
        for (int i = 0; i < n; i++) {
          g.writeNumber((int) b.get(i));
        }
      }
      case UINT16 -> {
        for (int i = 0; i < n; i++) {
          g.writeNumber(b.getShort(i << 1) & 0xFFFF);
        }
      }
      case INT16 -> {
        for (int i = 0; i < n; i++) {
          g.writeNumber((int) b.getShort(i << 1));
        }
      }
      case UINT32 -> {
        for (int i = 0; i < n; i++) {
          g.writeNumber(b.getInt(i << 2) & 0xFFFF_FFFFL);
        }
      }
      case INT32 -> {
        for (int i = 0; i < n; i++) {
          g.writeNumber(b.getInt(i << 2));
        }
      }
      case INT64 -> {
        for (int i = 0; i < n; i++) {
          g.writeNumber(b.getLong(i << 3));
        }
      }
      case UINT64 -> {
        for (int i = 0; i < n; i++) {
          long v = b.getLong(i << 3);
          if (v >= 0) {
            g.writeNumber(v);
          } else {
            g.writeNumber(Long.toUnsignedString(v)); // written as a number, unquoted
          }
        }
      }
      case FP16 -> {
        for (int i = 0; i < n; i++) {
          writeFloat(g, Fp16.halfToFloat(b.getShort(i << 1)));
        }
      }
      case FP32 -> {
        for (int i = 0; i < n; i++) {
          writeFloat(g, b.getFloat(i << 2));
        }
      }
      case FP64 -> {
        for (int i = 0; i < n; i++) {
          double d = b.getDouble(i << 3);
          if (Double.isFinite(d)) {
            g.writeNumber(d);
          } else {
            g.writeString(Double.isNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity");
          }
        }
      }
      default -> throw new IllegalStateException("no JSON form for " + t.type());
    }
    g.writeEndArray();
  }

  /** A rough size of the JSON array, to size the response buffer once. */
  static long estimate(Tensor t) {
    if (t.type() == DataType.BYTES) {
      long n = 2;
      for (byte[] s : t.strings()) {
        n += s.length + 3;
      }
      return n;
    }
    int perElement = switch (t.type()) {
      case BOOL -> 6;
      case UINT8, INT8 -> 4;
      case UINT16, INT16 -> 6;
      case UINT32, INT32, FP16 -> 11;
      case FP32 -> 15;
      default -> 21;
    };
    return 2 + (long) perElement * (t.data().limit() / t.type().size());
  }

  private static void writeFloat(JsonGenerator g, float f) throws IOException {
    if (Float.isFinite(f)) {
      g.writeNumber(f);
    } else {
      g.writeString(Float.isNaN(f) ? "NaN" : f > 0 ? "Infinity" : "-Infinity");
    }
  }
}
