package io.coedge.api.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coedge.inference.DataType;
import io.coedge.inference.InferRequest;
import io.coedge.inference.InferenceException;
import io.coedge.inference.Tensor;
import io.coedge.inference.TensorSpec;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class RawRequestTest {

  private final RequestDecoder decoder = new RequestDecoder();

  private Tensor only(TensorSpec spec, Buffer body) {
    InferRequest r = decoder.decodeRaw("m", null, body, List.of(spec));
    assertTrue(r.outputs().isEmpty(), "every output, in JSON");
    return r.inputs().get(0);
  }

  @Test
  void withTwoDynamicDimensionsTheFirstIsOneRow() {
    Tensor t = only(new TensorSpec("x", DataType.INT16, new long[] {-1, -1}), Buffer.buffer(new byte[10]));
    assertArrayEquals(new long[] {1, 5}, t.shape());
    assertEquals(10, t.data().limit());
  }

  @Test
  void bytesBodyIsOneElementWithoutALengthPrefix() {
    byte[] raw = {(byte) 0xFF, 0, 'a'};
    Tensor t = only(new TensorSpec("s", DataType.BYTES, new long[] {-1, 1}), Buffer.buffer(raw));
    assertArrayEquals(new long[] {1, 1}, t.shape());
    assertArrayEquals(raw, t.strings()[0]);
  }

  @Test
  void threeDynamicDimensionsCannotBeDeduced() {
    InferenceException e = assertThrows(InferenceException.class,
        () -> only(new TensorSpec("x", DataType.FP32, new long[] {-1, -1, -1}), Buffer.buffer(new byte[8])));
    assertEquals(400, e.status());
    assertTrue(e.getMessage().contains("more than one dynamic dimension"), e.getMessage());
  }

  @Test
  void emptyBodyAndNonBooleanBytesAre400() {
    TensorSpec bools = new TensorSpec("b", DataType.BOOL, new long[] {-1});
    assertEquals(400, assertThrows(InferenceException.class, () -> only(bools, Buffer.buffer())).status());
    assertEquals(400, assertThrows(InferenceException.class,
        () -> only(bools, Buffer.buffer(new byte[] {1, 2}))).status());
  }
}
