package io.coedge.api.codec;

import io.coedge.inference.InferRequest;
import io.vertx.core.buffer.Buffer;

/** TEMPORARY STUB until the codec branch lands. */
public final class RequestDecoder {
  public RequestDecoder(CodecLimits limits) {
  }

  public InferRequest decode(String model, String version, Buffer body, int jsonLength) {
    throw new UnsupportedOperationException("stub");
  }
}
