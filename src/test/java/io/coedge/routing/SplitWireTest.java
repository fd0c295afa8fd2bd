package io.coedge.routing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coedge.inference.DataType;
import io.coedge.inference.Tensor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The intermediate tensor's request and the tail's binary answer, the latter untrusted. */
class SplitWireTest {

  private static Tensor fp16(int n) {
    ByteBuffer b = ByteBuffer.allocate(n * 2).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < n; i++) {
      b.putShort((short) (0x3c00 + i)); // 1.0, then a little more
    }
    return Tensor.fixed("mid_b1", DataType.FP16, new long[] {1, n}, b.flip());
  }

  @Test
  void theRequestIsAJsonHeaderNamingTheTensorThenItsRawBytes() {
    SplitWire.Encoded e = SplitWire.request("r1", fp16(6));
    JsonObject header = new JsonObject(e.body().getBuffer(0, e.jsonLength()));
    JsonObject in = header.getJsonArray("inputs").getJsonObject(0);
    assertEquals("mid_b1", in.getString("name"));
    assertEquals("FP16", in.getString("datatype"));
    assertEquals(new JsonArray().add(1).add(6), in.getJsonArray("shape"));
    assertEquals(12, in.getJsonObject("parameters").getInteger("binary_data_size"));
    assertEquals(true, header.getJsonObject("parameters").getBoolean("binary_data_output"));
    assertEquals("r1", header.getString("id"));
    assertEquals(e.jsonLength() + 12, e.body().length());
    assertEquals((short) 0x3c05, e.body().getShortLE(e.jsonLength() + 10));
  }

  private static RemoteAnswer answer(JsonObject header, byte[] data, String headerLength) {
    Buffer body = header.toBuffer().appendBytes(data);
    return new RemoteAnswer("cloud-0", "m.split-b1.tail", "1", body, "application/octet-stream",
        headerLength == null ? Integer.toString(header.toBuffer().length()) : headerLength, 10, 20);
  }

  private static JsonObject counts(long size) {
    return new JsonObject().put("outputs", new JsonArray().add(new JsonObject().put("name", "counts")
        .put("datatype", "FP32").put("shape", new JsonArray().add(1).add(2))
        .put("parameters", new JsonObject().put("binary_data_size", size))));
  }

  @Test
  void aBinaryAnswerDecodesToItsTensors() {
    byte[] data = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(1.5f).putFloat(-2f).array();
    List<Tensor> out = SplitWire.outputs(answer(counts(8), data, null));
    assertEquals(1, out.size());
    assertEquals("counts", out.get(0).name());
    assertArrayEquals(new long[] {1, 2}, out.get(0).shape());
    assertEquals(-2f, out.get(0).data().getFloat(4));
  }

  @Test
  void anAnswerThatDoesNotAddUpIsARemoteFailureNotACrash() {
    byte[] eight = new byte[8];
    for (RemoteAnswer bad : List.of(answer(counts(12), eight, null), answer(counts(8), new byte[4], null),
        answer(counts(8), eight, "9999"), answer(counts(8), eight, "x"),
        answer(new JsonObject().put("outputs", new JsonArray()), eight, null),
        answer(counts(8).put("outputs", "no"), eight, null))) {
      RemoteFailure f = assertThrows(RemoteFailure.class, () -> SplitWire.outputs(bad));
      assertTrue(f.getMessage().startsWith("the tail's answer is not usable"), f.getMessage());
    }
  }
}
