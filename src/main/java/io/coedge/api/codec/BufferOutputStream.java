package io.coedge.api.codec;

import io.vertx.core.buffer.Buffer;
import java.io.OutputStream;

/** Lets Jackson's generator write its (already buffered) output straight into a Vert.x buffer. */
final class BufferOutputStream extends OutputStream {

  private final Buffer buffer;

  BufferOutputStream(Buffer buffer) {
    this.buffer = buffer;
  }

  @Override
  public void write(int b) {
    buffer.appendByte((byte) b);
  }

  @Override
  public void write(byte[] b, int off, int len) {
    buffer.appendBytes(b, off, len);
  }
}
