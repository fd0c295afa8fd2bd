package io.coedge.api.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coedge.inference.InferenceException;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Random;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class BodyEncodingTest {

  static final byte[] DATA = new byte[100_000];

  static {
    new Random(4).nextBytes(DATA);
  }

  static Buffer gzip(byte[] b) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(out)) {
      z.write(b);
    }
    return Buffer.buffer(out.toByteArray());
  }

  static Buffer deflate(byte[] b, boolean zlib) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (DeflaterOutputStream z = new DeflaterOutputStream(out, new Deflater(6, !zlib))) {
      z.write(b);
    }
    return Buffer.buffer(out.toByteArray());
  }

  @Test
  void inflatesGzipZlibAndRawDeflate() throws IOException {
    assertArrayEquals(DATA, BodyEncoding.decode("gzip", gzip(DATA), DATA.length).getBytes());
    assertArrayEquals(DATA, BodyEncoding.decode("deflate", deflate(DATA, true), DATA.length).getBytes());
    assertArrayEquals(DATA, BodyEncoding.decode(" DEFLATE ", deflate(DATA, false), DATA.length).getBytes());
  }

  @Test
  void identityAndNoHeaderPassTheBodyThrough() {
    Buffer body = Buffer.buffer("{}");
    assertSame(body, BodyEncoding.decode(null, body, 1));
    assertSame(body, BodyEncoding.decode("identity", body, 1));
  }

  @Test
  void oneByteOverTheLimitIs413() throws IOException {
    InferenceException e = assertThrows(InferenceException.class,
        () -> BodyEncoding.decode("gzip", gzip(DATA), DATA.length - 1));
    assertEquals(413, e.status());
  }

  @Test
  void brokenDataIs400AndUnknownCodingsAreNotSupported() throws IOException {
    Buffer cut = gzip(DATA).getBuffer(0, 5000);
    assertEquals(400, assertThrows(InferenceException.class,
        () -> BodyEncoding.decode("gzip", cut, 1 << 20)).status());
    assertEquals(400, assertThrows(InferenceException.class,
        () -> BodyEncoding.decode("deflate", Buffer.buffer("not deflate at all"), 1 << 20)).status());
    assertFalse(BodyEncoding.supported("br"));
    assertTrue(BodyEncoding.supported("x-gzip"));
  }
}
