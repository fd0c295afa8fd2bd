package io.coedge.inference;

import java.lang.reflect.Array;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * BYTES elements in and out of ONNX Runtime Java, whose string tensors take and give {@link String}s.
 * Valid UTF-8 becomes the string it spells, so a model sees its text. A byte that is not part of valid UTF-8
 * becomes a lone low surrogate U+DC80..U+DCFF (Python's "surrogateescape"), which ONNX Runtime carries
 * through unchanged, and back: valid UTF-8 never decodes to a lone surrogate, so the mapping is lossless and
 * a model that passes strings through returns the client's exact bytes (measured with ONNX Runtime 1.23.2).
 */
final class OrtStrings {

  private static final char ESCAPE = 0xDC00;

  private OrtStrings() {
  }

  /** The string handed to ONNX Runtime for the bytes {@code b}. */
  static String toJava(byte[] b) {
    if (isAscii(b)) {
      return new String(b, StandardCharsets.ISO_8859_1);
    }
    CharsetDecoder strict = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(b);
    CharBuffer out = CharBuffer.allocate(b.length);
    while (in.hasRemaining()) {
      var result = strict.decode(in, out, true);
      if (result.isError()) {
        for (int i = 0; i < result.length(); i++) {
          out.put((char) (ESCAPE | (in.get() & 0xFF)));
        }
      } else {
        break;
      }
    }
    return out.flip().toString();
  }

  /** The bytes of a string ONNX Runtime gave back: UTF-8, with escaped bytes restored. */
  static byte[] toBytes(String s) {
    int escapes = 0;
    for (int i = 0; i < s.length(); i++) {
      if (escaped(s, i)) {
        escapes++;
      }
    }
    if (escapes == 0) {
      return s.getBytes(StandardCharsets.UTF_8);
    }
    ByteBuffer out = ByteBuffer.allocate(s.length() * 3);
    int from = 0;
    for (int i = 0; i < s.length(); i++) {
      if (escaped(s, i)) {
        out.put(s.substring(from, i).getBytes(StandardCharsets.UTF_8)).put((byte) s.charAt(i));
        from = i + 1;
      }
    }
    out.put(s.substring(from).getBytes(StandardCharsets.UTF_8));
    byte[] bytes = new byte[out.position()];
    out.flip().get(bytes);
    return bytes;
  }

  /** Appends, row-major, the bytes of every string in ONNX Runtime's (nested) String array {@code value}. */
  static void flatten(Object value, List<byte[]> out) {
    if (value instanceof String s) {
      out.add(toBytes(s));
    } else if (value != null && value.getClass().isArray()) {
      for (int i = 0, n = Array.getLength(value); i < n; i++) {
        flatten(Array.get(value, i), out);
      }
    }
  }

  /** A lone low surrogate in the escape range (one not preceded by a high surrogate). */
  private static boolean escaped(String s, int i) {
    char c = s.charAt(i);
    return c >= 0xDC80 && c <= 0xDCFF && (i == 0 || !Character.isHighSurrogate(s.charAt(i - 1)));
  }

  private static boolean isAscii(byte[] b) {
    for (byte x : b) {
      if (x < 0) {
        return false;
      }
    }
    return true;
  }
}
