package io.coedge.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.coedge.RunningNode;
import io.coedge.TestNodes;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;

/** BYTES elements stay raw bytes in binary mode, through a real ONNX identity graph and back, over HTTP. */
@Timeout(60)
class BytesBinaryTest {

  @RegisterExtension
  static final RunningNode NODE = new RunningNode(TestNodes.TEST_MODELS);

  static final byte[][] ELEMENTS = {
      {(byte) 0xFF, (byte) 0xFE, 0x00, 0x41},             // not UTF-8 at all, with a NUL
      {(byte) 0xC3, (byte) 0xA9, (byte) 0xC3},            // "é" then a truncated sequence
      {(byte) 0xED, (byte) 0xA0, (byte) 0x80},            // an encoded surrogate (invalid UTF-8)
      {(byte) 0xF0, (byte) 0x9F, (byte) 0x98, (byte) 0x80, (byte) 0xDC, (byte) 0x80}, // emoji, then bytes that
      // would read as the escape of 0x80 if the mapping confused a pair with an escape
  };

  @Test
  void nonUtf8BytesRoundTripExactlyThroughTheBinaryExtension() {
    Buffer binary = Buffer.buffer();
    for (byte[] e : ELEMENTS) {
      binary.appendIntLE(e.length).appendBytes(e);
    }
    long[] shape = {1, ELEMENTS.length};
    JsonArray inputs = new JsonArray().add(new JsonObject().put("name", "in_BYTES").put("datatype", "BYTES")
        .put("shape", new JsonArray().add(1).add(ELEMENTS.length))
        .put("parameters", new JsonObject().put("binary_data_size", binary.length())));
    for (String t : new String[] {"BOOL", "UINT8", "INT8", "INT16", "INT32", "INT64", "FP16", "FP32", "FP64"}) {
      JsonArray zeros = new JsonArray();
      for (int i = 0; i < shape[1]; i++) {
        zeros.add(t.equals("BOOL") ? (Object) false : (Object) 0);
      }
      inputs.add(new JsonObject().put("name", "in_" + t).put("datatype", t)
          .put("shape", new JsonArray().add(1).add(ELEMENTS.length)).put("data", zeros));
    }
    Buffer json = new JsonObject().put("inputs", inputs).put("outputs", new JsonArray().add(new JsonObject()
        .put("name", "out_BYTES").put("parameters", new JsonObject().put("binary_data", true)))).toBuffer();
    MultiMap headers = MultiMap.caseInsensitiveMultiMap()
        .add("content-type", "application/octet-stream")
        .add("inference-header-content-length", Integer.toString(json.length()));
    HttpResponse<Buffer> r = NODE.http().post("/v2/models/dtypes-supported/infer", json.copy().appendBuffer(binary),
        headers);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    int jsonLength = Integer.parseInt(r.getHeader("inference-header-content-length"));
    JsonObject out = new JsonObject(r.body().getBuffer(0, jsonLength)).getJsonArray("outputs").getJsonObject(0);
    assertEquals(binary.length(), out.getJsonObject("parameters").getInteger("binary_data_size"));
    assertArrayEquals(binary.getBytes(), r.body().getBytes(jsonLength, r.body().length()));
  }
}
