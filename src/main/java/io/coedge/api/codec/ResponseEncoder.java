package io.coedge.api.codec;

import io.coedge.inference.InferRequest;
import io.coedge.inference.InferResult;
import io.vertx.core.buffer.Buffer;

/** TEMPORARY STUB until the codec branch lands. */
public final class ResponseEncoder {
  public record Encoded(Buffer body, int jsonLength) {
  }

  public Encoded encode(InferRequest request, InferResult result) {
    throw new UnsupportedOperationException("stub");
  }
}
