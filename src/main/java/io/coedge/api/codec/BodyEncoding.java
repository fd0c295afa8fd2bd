package io.coedge.api.codec;

import io.coedge.inference.InferenceException;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * A request's {@code Content-Encoding}: {@code gzip}, {@code deflate} (zlib, or raw deflate as some clients
 * send it) or {@code identity}. Inflating streams into a buffer that stops at the body limit, so a small body
 * that inflates to gigabytes (a zip bomb) is a 413 after at most the limit plus one chunk has been allocated.
 */
public final class BodyEncoding {

  private static final int CHUNK = 64 * 1024;

  private BodyEncoding() {
  }

  /** True for the codings {@link #decode} understands; null (no header) is identity. */
  public static boolean supported(String contentEncoding) {
    return coding(contentEncoding) != null;
  }

  /**
   * The body as the client meant it.
   *
   * @throws InferenceException 400 when the body is not valid for its coding, 413 when it inflates past
   *                            {@code maxBytes}
   */
  public static Buffer decode(String contentEncoding, Buffer body, long maxBytes) {
    String coding = coding(contentEncoding);
    if (coding == null) {
      throw InferenceException.invalid("Content-Encoding '" + contentEncoding + "' is not supported; send gzip, "
          + "deflate or identity");
    }
    if (coding.equals("identity") || body == null || body.length() == 0) {
      return body;
    }
    byte[] in = body.getBytes();
    Inflater inflater = coding.equals("gzip") ? null : new Inflater(!zlibHeader(in));
    try (InputStream s = inflater == null ? new GZIPInputStream(new ByteArrayInputStream(in), CHUNK)
        : new InflaterInputStream(new ByteArrayInputStream(in), inflater, CHUNK)) {
      return readCapped(s, maxBytes, coding);
    } catch (IOException e) {
      throw InferenceException.invalid("request body is not valid " + coding + " data: " + e.getMessage());
    } finally {
      if (inflater != null) {
        inflater.end(); // a stream given its own Inflater does not end it
      }
    }
  }

  private static Buffer readCapped(InputStream s, long maxBytes, String coding) throws IOException {
    Buffer out = Buffer.buffer(CHUNK);
    byte[] chunk = new byte[CHUNK];
    for (int n = s.read(chunk); n >= 0; n = s.read(chunk)) {
      if (out.length() + (long) n > maxBytes) {
        throw InferenceException.tooLarge("request body inflates (" + coding + ") to more than " + maxBytes
            + " bytes (http.max-body-bytes)");
      }
      out.appendBytes(chunk, 0, n);
    }
    return out;
  }

  /** RFC 1950: a zlib stream starts with CM 8 and a header check that is a multiple of 31. */
  private static boolean zlibHeader(byte[] b) {
    return b.length >= 2 && (b[0] & 0x0F) == 8 && ((b[0] & 0xFF) << 8 | (b[1] & 0xFF)) % 31 == 0;
  }

  private static String coding(String header) {
    if (header == null) {
      return "identity";
    }
    String c = header.trim().toLowerCase(Locale.ROOT);
    return switch (c) {
      case "", "identity" -> "identity";
      case "gzip", "x-gzip" -> "gzip";
      case "deflate" -> "deflate";
      default -> null;
    };
  }
}
