package io.coedge.api.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.coedge.inference.DataType;
import io.coedge.inference.InferRequest;
import io.coedge.inference.InferResult;
import io.coedge.inference.Tensor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** Request in, the decoded tensors back out as outputs: the data must survive every combination of forms. */
class RoundTripTest {

  private final RequestDecoder decoder = new RequestDecoder();
  private final ResponseEncoder encoder = new ResponseEncoder();

  private ResponseEncoder.Encoded echo(Buffer body, int jsonLength) {
    InferRequest req = decoder.decode("echo", "1", body, jsonLength);
    return encoder.encode(req, new InferResult("echo", "1", req.inputs(), 0, 0));
  }

  private static String jsonRequest(Samples s, String data, String outputs) {
    return "{\"id\":\"rt\",\"inputs\":[" + s.input("x", data) + "]" + outputs + "}";
  }

  private static String binaryRequest(Samples s, String outputs) {
    return "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"" + s.type() + "\",\"shape\":[2,2],"
        + "\"parameters\":{\"binary_data_size\":" + s.binary().length + "}}]" + outputs + "}";
  }

  private static final String AS_BINARY = ",\"outputs\":[{\"name\":\"x\",\"parameters\":{\"binary_data\":true}}]";

  private static JsonObject onlyOutput(ResponseEncoder.Encoded e) {
    Buffer json = e.jsonLength() < 0 ? e.body() : e.body().slice(0, e.jsonLength());
    JsonObject response = new JsonObject(json);
    assertEquals("echo", response.getString("model_name"));
    JsonArray outputs = response.getJsonArray("outputs");
    assertEquals(1, outputs.size());
    JsonObject out = outputs.getJsonObject(0);
    assertEquals("x", out.getString("name"));
    assertEquals(new JsonArray().add(2).add(2), out.getJsonArray("shape"));
    return out;
  }

  private static void assertSameData(Samples s, JsonArray actual) {
    JsonArray expected = new JsonArray(s.flat());
    assertEquals(expected.size(), actual.size(), actual.encode());
    for (int i = 0; i < expected.size(); i++) {
      Object want = expected.getValue(i);
      Object got = actual.getValue(i);
      String at = s.type() + " element " + i + ": " + actual.encode();
      switch (s.type()) {
        case BOOL, BYTES -> assertEquals(want, got, at);
        case FP16, FP32 -> assertEquals(((Number) want).floatValue(), ((Number) got).floatValue(), at);
        case FP64 -> assertEquals(((Number) want).doubleValue(), ((Number) got).doubleValue(), at);
        default -> assertEquals(0, new BigDecimal(want.toString()).compareTo(new BigDecimal(got.toString())), at);
      }
    }
  }

  private static byte[] binaryPart(ResponseEncoder.Encoded e) {
    return e.body().getBytes(e.jsonLength(), e.body().length());
  }

  @ParameterizedTest
  @FieldSource("io.coedge.api.codec.Samples#ALL")
  void flatJsonInJsonOut(Samples s) {
    ResponseEncoder.Encoded e = echo(Buffer.buffer(jsonRequest(s, s.flat(), "")), -1);
    assertEquals(-1, e.jsonLength());
    JsonObject out = onlyOutput(e);
    assertEquals(s.type().name(), out.getString("datatype"));
    assertSameData(s, out.getJsonArray("data"));
    assertEquals("rt", new JsonObject(e.body()).getString("id"));
  }

  @ParameterizedTest
  @FieldSource("io.coedge.api.codec.Samples#ALL")
  void nestedJsonInFlatJsonOut(Samples s) {
    assertSameData(s, onlyOutput(echo(Buffer.buffer(jsonRequest(s, s.nested(), "")), -1)).getJsonArray("data"));
  }

  @ParameterizedTest
  @FieldSource("io.coedge.api.codec.Samples#ALL")
  void jsonInBinaryOut(Samples s) {
    ResponseEncoder.Encoded e = echo(Buffer.buffer(jsonRequest(s, s.nested(), AS_BINARY)), -1);
    JsonObject out = onlyOutput(e);
    assertEquals(s.binary().length, out.getJsonObject("parameters").getInteger("binary_data_size"));
    assertArrayEquals(s.binary(), binaryPart(e));
  }

  @ParameterizedTest
  @FieldSource("io.coedge.api.codec.Samples#ALL")
  void binaryInBinaryOut(Samples s) {
    String json = binaryRequest(s, AS_BINARY);
    ResponseEncoder.Encoded e = echo(Samples.body(json, s.binary()), Samples.jsonLength(json));
    assertArrayEquals(s.binary(), binaryPart(e));
  }

  @ParameterizedTest
  @FieldSource("io.coedge.api.codec.Samples#ALL")
  void binaryInJsonOut(Samples s) {
    String json = binaryRequest(s, ",\"outputs\":[{\"name\":\"x\"}]");
    ResponseEncoder.Encoded e = echo(Samples.body(json, s.binary()), Samples.jsonLength(json));
    assertEquals(-1, e.jsonLength());
    assertSameData(s, onlyOutput(e).getJsonArray("data"));
  }

  @ParameterizedTest
  @FieldSource("io.coedge.api.codec.Samples#ALL")
  void responseDataDecodesBackToTheSameTensor(Samples s) {
    // The response's output object has the same shape as a request input: feed it back in.
    InferRequest first = decoder.decode("echo", null, Buffer.buffer(jsonRequest(s, s.flat(), "")), -1);
    ResponseEncoder.Encoded e = encoder.encode(first, new InferResult("echo", "1", first.inputs(), 0, 0));
    JsonObject out = onlyOutput(e);
    InferRequest second = decoder.decode("echo", null,
        Buffer.buffer(new JsonObject().put("inputs", new JsonArray().add(out)).encode()), -1);
    Tensor a = first.inputs().get(0);
    Tensor b = second.inputs().get(0);
    assertEquals(a.type(), b.type());
    if (s.type() == DataType.BYTES) {
      assertEquals(a.strings().length, b.strings().length);
      for (int i = 0; i < a.strings().length; i++) {
        assertArrayEquals(a.strings()[i], b.strings()[i]);
      }
    } else {
      assertEquals(a.data(), b.data(), "same bytes");
    }
  }

  @ParameterizedTest
  @FieldSource("io.coedge.api.codec.Samples#ALL")
  void binaryDataOutputMakesEveryOutputBinary(Samples s) {
    String json = "{\"parameters\":{\"binary_data_output\":true},\"inputs\":[" + s.input("x", s.flat()) + "]}";
    ResponseEncoder.Encoded e = echo(Buffer.buffer(json), -1);
    assertArrayEquals(s.binary(), binaryPart(e));
    assertEquals(s.binary().length, onlyOutput(e).getJsonObject("parameters").getInteger("binary_data_size"));
  }
}
