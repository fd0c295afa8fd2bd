package io.coedge.api.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coedge.inference.DataType;
import io.coedge.inference.InferRequest;
import io.coedge.inference.InferResult;
import io.coedge.inference.OffloadMode;
import io.coedge.inference.RequestedOutput;
import io.coedge.inference.Tensor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResponseEncoderTest {

  private final ResponseEncoder encoder = new ResponseEncoder();

  static InferRequest request(String id, boolean binaryOutputs, RequestedOutput... outputs) {
    return new InferRequest(id, "clf", null, List.of(), List.of(outputs), binaryOutputs, 0, 0, OffloadMode.AUTO);
  }

  static InferResult result(Tensor... outputs) {
    return new InferResult("clf", "2", List.of(outputs), 10, 20);
  }

  static Tensor fp32(String name, float... values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < values.length; i++) {
      b.putFloat(i * 4, values[i]);
    }
    return Tensor.fixed(name, DataType.FP32, new long[] {1, values.length}, b);
  }

  static Tensor fixed(String name, DataType type, String hex, long... shape) {
    return Tensor.fixed(name, type, shape, ByteBuffer.wrap(HexFormat.of().parseHex(hex)).order(ByteOrder.LITTLE_ENDIAN));
  }

  static JsonObject json(ResponseEncoder.Encoded e) {
    Buffer b = e.body();
    return new JsonObject(e.jsonLength() < 0 ? b : b.slice(0, e.jsonLength()));
  }

  static String binaryHex(ResponseEncoder.Encoded e) {
    return HexFormat.of().formatHex(e.body().getBytes(e.jsonLength(), e.body().length()));
  }

  @Test
  void writesAllOutputsAsJsonInResultOrderWhenNoneWereAsked() {
    ResponseEncoder.Encoded e = encoder.encode(request(null, false), result(fp32("b", 1.5f, -2), fp32("a", 0.1f)));
    assertEquals(-1, e.jsonLength());
    JsonObject body = new JsonObject(e.body());
    assertEquals("clf", body.getString("model_name"));
    assertEquals("2", body.getString("model_version"));
    assertFalse(body.containsKey("id"), "no id when the request had none");
    JsonArray outputs = body.getJsonArray("outputs");
    assertEquals(2, outputs.size());
    JsonObject b = outputs.getJsonObject(0);
    assertEquals("b", b.getString("name"));
    assertEquals("FP32", b.getString("datatype"));
    assertEquals(new JsonArray().add(1).add(2), b.getJsonArray("shape"));
    assertEquals(List.of(1.5, -2.0), b.getJsonArray("data").getList());
    assertNull(b.getJsonObject("parameters"));
    assertEquals("a", outputs.getJsonObject(1).getString("name"));
    // 0.1f goes out in its shortest form, not as 0.10000000149011612
    assertTrue(e.body().toString().contains("\"data\":[0.1]"), e.body().toString());
  }

  @Test
  void writesOnlyTheAskedOutputsInTheAskedOrderAndEchoesTheId() {
    ResponseEncoder.Encoded e = encoder.encode(
        request("r-1", false, new RequestedOutput("c", false), new RequestedOutput("a", false)),
        result(fp32("a", 1), fp32("b", 2), fp32("c", 3)));
    JsonObject body = json(e);
    assertEquals("r-1", body.getString("id"));
    JsonArray outputs = body.getJsonArray("outputs");
    assertEquals(List.of("c", "a"), outputs.stream().map(o -> ((JsonObject) o).getString("name")).toList());
    assertEquals(3.0, outputs.getJsonObject(0).getJsonArray("data").getDouble(0));
  }

  @Test
  void appendsBinaryOutputsAfterTheJsonInOutputOrder() {
    Tensor a = fixed("a", DataType.INT16, "0100ffff", 2);
    Tensor b = fp32("b", 7);
    Tensor c = fixed("c", DataType.UINT8, "0a0b0c", 3);
    ResponseEncoder.Encoded e = encoder.encode(request(null, false, new RequestedOutput("c", true),
        new RequestedOutput("b", false), new RequestedOutput("a", true)), result(a, b, c));
    assertTrue(e.jsonLength() > 0);
    JsonObject body = json(e);
    assertTrue(body.getString("model_name").equals("clf"), "the JSON part ends exactly at jsonLength");
    JsonArray outputs = body.getJsonArray("outputs");
    JsonObject first = outputs.getJsonObject(0);
    assertEquals(3, first.getJsonObject("parameters").getInteger("binary_data_size"));
    assertFalse(first.containsKey("data"));
    assertEquals(new JsonArray().add(3), first.getJsonArray("shape"));
    assertEquals(List.of(7.0), outputs.getJsonObject(1).getJsonArray("data").getList());
    assertEquals(4, outputs.getJsonObject(2).getJsonObject("parameters").getInteger("binary_data_size"));
    assertEquals("0a0b0c" + "0100ffff", binaryHex(e));
  }

  @Test
  void binaryDataOutputSendsUnlistedOutputsBinary() {
    ResponseEncoder.Encoded e = encoder.encode(request(null, true), result(fp32("y", 1), fixed("z", DataType.INT8, "ff", 1)));
    assertEquals("0000803f" + "ff", binaryHex(e));
    assertEquals(4, json(e).getJsonArray("outputs").getJsonObject(0).getJsonObject("parameters")
        .getInteger("binary_data_size"));
  }

  @Test
  void decodedBinaryDataOutputYieldsToAnOutputThatSaysFalse() {
    InferRequest req = new RequestDecoder().decode("clf", null, Buffer.buffer(
        "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1],\"data\":[1]}],"
            + "\"parameters\":{\"binary_data_output\":true},"
            + "\"outputs\":[{\"name\":\"y\",\"parameters\":{\"binary_data\":false}},{\"name\":\"z\"}]}"), -1);
    ResponseEncoder.Encoded e = encoder.encode(req, result(fp32("y", 2), fixed("z", DataType.INT8, "05", 1)));
    JsonArray outputs = json(e).getJsonArray("outputs");
    assertEquals(List.of(2.0), outputs.getJsonObject(0).getJsonArray("data").getList());
    assertEquals(1, outputs.getJsonObject(1).getJsonObject("parameters").getInteger("binary_data_size"));
    assertEquals("05", binaryHex(e));
  }

  @Test
  void writesNonFiniteFloatsAsStrings() {
    ByteBuffer d = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN)
        .putDouble(0, Double.NaN).putDouble(8, Double.NEGATIVE_INFINITY).putDouble(16, 1e-300);
    Tensor fp64 = Tensor.fixed("d", DataType.FP64, new long[] {3}, d);
    Tensor fp32 = fp32("f", Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY);
    Tensor fp16 = fixed("h", DataType.FP16, "007e007c00fc", 3);
    JsonArray outputs = json(encoder.encode(request(null, false), result(fp64, fp32, fp16))).getJsonArray("outputs");
    assertEquals(List.of("NaN", "-Infinity", 1e-300), outputs.getJsonObject(0).getJsonArray("data").getList());
    assertEquals(List.of("NaN", "Infinity", "-Infinity"), outputs.getJsonObject(1).getJsonArray("data").getList());
    assertEquals(List.of("NaN", "Infinity", "-Infinity"), outputs.getJsonObject(2).getJsonArray("data").getList());
  }

  @Test
  void writesUnsignedTypesAsUnsignedNumbersAndHalvesAsTheirValue() {
    Tensor u64 = fixed("u64", DataType.UINT64, "ffffffffffffffff" + "0000000000000080", 2);
    Tensor u32 = fixed("u32", DataType.UINT32, "ffffffff", 1);
    Tensor u16 = fixed("u16", DataType.UINT16, "ffff", 1);
    Tensor u8 = fixed("u8", DataType.UINT8, "ff", 1);
    Tensor h = fixed("h", DataType.FP16, "003c" + "0100" + "ff7b", 3);
    Tensor b = fixed("b", DataType.BOOL, "0100", 2);
    String text = encoder.encode(request(null, false), result(u64, u32, u16, u8, h, b)).body().toString();
    assertTrue(text.contains("\"data\":[18446744073709551615,9223372036854775808]"), text);
    assertTrue(text.contains("\"data\":[4294967295]"), text);
    assertTrue(text.contains("\"data\":[65535]"), text);
    assertTrue(text.contains("\"data\":[255]"), text);
    assertTrue(text.contains("\"data\":[1.0,5.9604645E-8,65504.0]"), text);
    assertTrue(text.contains("\"data\":[true,false]"), text);
  }

  @Test
  void writesUtf8BytesAsEscapedStrings() {
    Tensor s = Tensor.bytes("s", new long[] {3}, new byte[][] {
        "plain".getBytes(StandardCharsets.UTF_8), "qu\"ote\n\u0001".getBytes(StandardCharsets.UTF_8),
        "\u20ac\uD83D\uDE00".getBytes(StandardCharsets.UTF_8)});
    ResponseEncoder.Encoded e = encoder.encode(request(null, false), result(s));
    assertEquals(-1, e.jsonLength());
    assertEquals(List.of("plain", "qu\"ote\n\u0001", "\u20ac\uD83D\uDE00"),
        json(e).getJsonArray("outputs").getJsonObject(0).getJsonArray("data").getList());
  }

  @Test
  void sendsBytesThatAreNotUtf8BinarySoTheyArriveUnchanged() {
    Tensor s = Tensor.bytes("s", new long[] {2}, new byte[][] {{(byte) 0xff, 0x00}, "ok".getBytes(StandardCharsets.UTF_8)});
    Tensor t = fp32("t", 1);
    ResponseEncoder.Encoded e = encoder.encode(request(null, false), result(t, s));
    assertTrue(e.jsonLength() > 0);
    JsonArray outputs = json(e).getJsonArray("outputs");
    assertEquals(List.of(1.0), outputs.getJsonObject(0).getJsonArray("data").getList());
    assertEquals(12, outputs.getJsonObject(1).getJsonObject("parameters").getInteger("binary_data_size"));
    assertEquals("02000000ff00" + "020000006f6b", binaryHex(e));
  }

  @Test
  void copiesBinaryOutputsHeldInDirectBuffers() {
    ByteBuffer direct = ByteBuffer.allocateDirect(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, 0x01020304);
    Tensor t = Tensor.fixed("d", DataType.INT32, new long[] {1}, direct);
    ResponseEncoder.Encoded e = encoder.encode(request(null, true), result(t));
    assertEquals("04030201", binaryHex(e));
  }

  @Test
  void refusesToInventAnOutputTheResultLacks() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> encoder.encode(request(null, false, new RequestedOutput("nope", false)), result(fp32("y", 1))));
    assertTrue(e.getMessage().contains("'nope'"), e.getMessage());
  }
}
