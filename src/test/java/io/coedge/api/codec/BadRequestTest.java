package io.coedge.api.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coedge.inference.InferenceException;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every way a request can be wrong gets a 400 (or 413) whose message names what is wrong. */
class BadRequestTest {

  record Bad(String why, Buffer body, int jsonLength, int status, String phrase) {
    @Override
    public String toString() {
      return why;
    }
  }

  private static Bad bad(String why, String json, String phrase) {
    return new Bad(why, Buffer.buffer(json), -1, 400, phrase);
  }

  private static Bad binary(String why, String json, byte[] bin, int jsonLength, String phrase) {
    Buffer body = Buffer.buffer(json).appendBytes(bin);
    return new Bad(why, body, jsonLength == Integer.MIN_VALUE ? Samples.jsonLength(json) : jsonLength, 400, phrase);
  }

  /** A request with one input whose object holds {@code fields}. */
  private static String one(String fields) {
    return "{\"inputs\":[{" + fields + "}]}";
  }

  /** A request with one input named x. */
  private static String x(String type, String shape, String data) {
    return one("\"name\":\"x\",\"datatype\":\"" + type + "\",\"shape\":" + shape + ",\"data\":" + data);
  }

  private static final String OK_INPUT = "{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1],\"data\":[1]}";

  private static String withTop(String fields) {
    return "{\"inputs\":[" + OK_INPUT + "]," + fields + "}";
  }

  private static String binaryInput(String name, String type, String shape, long size) {
    return "{\"name\":\"" + name + "\",\"datatype\":\"" + type + "\",\"shape\":" + shape
        + ",\"parameters\":{\"binary_data_size\":" + size + "}}";
  }

  static Stream<Bad> badRequests() {
    String frames = "{\"inputs\":[" + binaryInput("frames", "UINT8", "[1,640,640,3]", 1228800) + "]}";
    String pair = "{\"inputs\":[" + binaryInput("v", "FP32", "[2]", 12) + "]}";
    String fits = "{\"inputs\":[" + binaryInput("v", "FP32", "[2]", 8) + "]}";
    String bools = "{\"inputs\":[" + binaryInput("flags", "BOOL", "[3]", 3) + "]}";
    String strs = "{\"inputs\":[" + binaryInput("s", "BYTES", "[2]", 9) + "]}";
    StringBuilder many = new StringBuilder("{\"inputs\":[");
    for (int i = 0; i <= CodecLimits.DEFAULT_MAX_TENSORS; i++) {
      many.append(i == 0 ? "" : ",").append(OK_INPUT.replace("\"x\"", "\"x" + i + "\""));
    }
    many.append("]}");
    return Stream.of(
        bad("not JSON", "hello", "request body is not valid JSON"),
        bad("truncated JSON", "{\"inputs\":[{\"name\":\"x\"", "request body is not valid JSON"),
        bad("content after the object", withTop("\"id\":\"a\"") + " {}", "not valid JSON"),
        bad("JSON array at the top", "[1,2,3]", "request body must be a JSON object, got an array"),
        bad("empty body", "", "request body is empty"),
        bad("whitespace only", "  \n ", "holds no JSON value"),
        bad("missing inputs", "{\"id\":\"a\",\"outputs\":[]}", "request has no 'inputs'"),
        bad("inputs not an array", "{\"inputs\":{\"name\":\"x\"}}", "field 'inputs' must be an array"),
        bad("empty inputs", "{\"inputs\":[]}", "'inputs' is empty"),
        bad("input not an object", "{\"inputs\":[42]}", "inputs[0] must be an object"),
        bad("missing name", one("\"datatype\":\"FP32\",\"shape\":[1],\"data\":[1]"), "inputs[0] has no 'name'"),
        bad("name not a string", one("\"name\":7,\"datatype\":\"FP32\",\"shape\":[1],\"data\":[1]"),
            "inputs[0]: field 'name' must be a non-empty string"),
        bad("duplicate input names", "{\"inputs\":[" + OK_INPUT + "," + OK_INPUT + "]}",
            "input 'x' appears twice in 'inputs'"),
        bad("too many inputs", many.toString(), "more than 64 entries (limit maxTensors)"),
        bad("missing datatype", one("\"name\":\"x\",\"shape\":[1],\"data\":[1]"), "input 'x' has no 'datatype'"),
        bad("unknown datatype", x("FP33", "[1]", "[1]"),
            "input 'x': datatype 'FP33' is not one of BOOL, UINT8, UINT16"),
        bad("datatype not a string", one("\"name\":\"x\",\"datatype\":32,\"shape\":[1],\"data\":[1]"),
            "input 'x': field 'datatype' must be a string, got a number"),
        bad("missing shape", one("\"name\":\"x\",\"datatype\":\"FP32\",\"data\":[1]"), "input 'x' has no 'shape'"),
        bad("shape not an array", x("FP32", "3", "[1,2,3]"), "input 'x': field 'shape' must be an array"),
        bad("negative dimension", x("FP32", "[-1,2]", "[1,2]"), "input 'x': shape dimension 0 is negative"),
        bad("fractional dimension", x("FP32", "[2.5]", "[1,2]"),
            "input 'x': shape dimension 0 must be a non-negative integer, got '2.5'"),
        bad("string dimension", x("FP32", "[\"2\"]", "[1,2]"), "shape dimension 0 must be a non-negative integer"),
        bad("too many dimensions", x("FP32", "[1,1,1,1,1,1,1,1,1]", "[1]"), "more than 8 dimensions (limit maxRank)"),
        bad("dimension beyond a long", x("FP32", "[100000000000000000000]", "[1]"), "shape dimension 0"),
        bad("element count overflows a long", x("INT8", "[4294967296,4294967296,4294967296]", "[1]"),
            "input 'x': shape [4294967296,4294967296,4294967296] has more than 16777216 elements"),
        bad("shape over maxTensorBytes", x("FP64", "[16777216]", "[1]"), "(limit maxTensorBytes)"),
        bad("too few elements", one("\"name\":\"features\",\"datatype\":\"FP32\",\"shape\":[2,8],"
            + "\"data\":[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15]"), "input 'features': shape [2,8] needs 16 elements, data has 15"),
        bad("too many elements", x("FP32", "[2]", "[1,2,3]"), "input 'x': shape [2] needs 2 elements, data has 3"),
        bad("too few nested rows", x("INT32", "[2,2]", "[[1,2]]"), "needs 4 elements, data has 2"),
        bad("null element", x("FP32", "[2]", "[1,null]"), "input 'x': element 1 is not a number, got null"),
        bad("bool for FP32", x("FP32", "[1]", "[true]"), "input 'x': element 0 is not a number, got a boolean"),
        bad("string for INT32", x("INT32", "[2]", "[1,\"5\"]"), "input 'x': element 1 is not a number, got the string '5'"),
        bad("object element", x("FP64", "[1]", "[{\"v\":1}]"), "input 'x': element 0 is an object"),
        bad("out of range for INT8", x("INT8", "[1]", "[128]"), "element 0 (128) is out of range for INT8 (-128..127)"),
        bad("out of range for UINT8", x("UINT8", "[2]", "[0,256]"), "element 1 (256) is out of range for UINT8"),
        bad("out of range for UINT16", x("UINT16", "[1]", "[65536]"), "out of range for UINT16"),
        bad("negative for UINT32", x("UINT32", "[1]", "[-1]"), "element 0 (-1) is out of range for UINT32"),
        bad("negative for UINT64", x("UINT64", "[1]", "[-1]"), "out of range for UINT64"),
        bad("2^64 for UINT64", x("UINT64", "[1]", "[18446744073709551616]"), "out of range for UINT64"),
        bad("2^63 for INT64", x("INT64", "[1]", "[9223372036854775808]"), "out of range for INT64"),
        bad("fraction for INT64", x("INT64", "[2]", "[1, 1.5]"), "input 'x': element 1 (1.5) is not an integer"),
        bad("overflow for FP32", x("FP32", "[1]", "[1e39]"), "out of range for FP32"),
        bad("overflow for FP16", x("FP16", "[1]", "[70000]"), "out of range for FP16"),
        bad("overflow for FP64", x("FP64", "[1]", "[1e400]"), "out of range for FP64"),
        bad("number longer than the parser allows", x("FP64", "[1]", "[" + "1".repeat(2000) + "]"),
            "request body exceeds a parser limit: Number value length (2000) exceeds the maximum allowed (1000)"),
        bad("NaN literal", x("FP32", "[1]", "[NaN]"), "request body is not valid JSON"),
        bad("Infinity literal", x("FP64", "[1]", "[-Infinity]"), "request body is not valid JSON"),
        bad("2 for BOOL", x("BOOL", "[1]", "[2]"), "element 0 is not a boolean"),
        bad("BYTES element not a string", x("BYTES", "[2]", "[\"a\",1]"), "input 'x': element 1 is not a string"),
        bad("data not an array", x("FP32", "[1]", "1"), "input 'x': field 'data' must be an array"),
        bad("data too deep for the shape", x("FP32", "[2]", "[[1],[2]]"), "input 'x': data is nested deeper"),
        bad("data too deep, data first", one("\"data\":[[[1]]],\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1,1]"),
            "input 'x': data is nested deeper"),
        bad("deeply nested data", x("FP32", "[1]", "[".repeat(10_000) + "1" + "]".repeat(10_000)),
            "input 'x': data is nested deeper than its shape [1] allows (at most 1 level of arrays)"),
        bad("deeply nested data, data first", one("\"data\":" + "[".repeat(10_000) + "1" + "]".repeat(10_000)),
            "nested more than 16 levels deep"),
        bad("deeply nested unknown field", withTop("\"junk\":" + "[".repeat(10_000)), "nested more than 16 levels"),
        bad("duplicate data field", one("\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1],\"data\":[1],\"data\":[2]"),
            "input 'x': field 'data' appears twice"),
        bad("no data and no binary_data_size", one("\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1]"),
            "input 'x' has neither 'data' nor parameters.binary_data_size"),
        bad("binary_data_size without a binary section", "{\"inputs\":[" + binaryInput("v", "FP32", "[2]", 8) + "]}",
            "input 'v' declares binary_data_size 8 but the request has no binary section"),
        bad("binary_data_size negative", "{\"inputs\":[" + binaryInput("v", "FP32", "[2]", -8) + "]}",
            "input 'v': parameter 'binary_data_size' must be a non-negative integer"),
        bad("data and binary_data_size", one("\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1],\"data\":[1],"
            + "\"parameters\":{\"binary_data_size\":4}"), "input 'x' has both 'data' and parameters.binary_data_size"),
        binary("binary section too short", frames, new byte[12], Integer.MIN_VALUE,
            "binary section has 12 bytes left, input 'frames' declares binary_data_size 1228800"),
        binary("binary size does not match the shape", pair, new byte[12], Integer.MIN_VALUE,
            "input 'v': binary_data_size 12 does not match shape [2] of FP32, which needs 8 bytes"),
        binary("leftover binary bytes", fits, new byte[10], Integer.MIN_VALUE, "binary section has 2 bytes left over"),
        binary("binary section with no binary input", withTop("\"id\":\"a\""), new byte[3], Integer.MIN_VALUE,
            "binary section has 3 bytes left over"),
        binary("BOOL byte that is not 0 or 1", bools, new byte[] {0, 1, (byte) 0xFF}, Integer.MIN_VALUE,
            "input 'flags': element 2 is not a boolean: BOOL binary data holds one byte, 0 or 1, per element, got 255"),
        binary("BYTES length past the end", strs, new byte[] {1, 0, 0, 0, 65, 9, 0, 0, 0}, Integer.MIN_VALUE,
            "input 's': element 1 declares 9 bytes but only 0 are left"),
        binary("jsonLength larger than the body", fits, new byte[8], 5000,
            "Inference-Header-Content-Length 5000 is larger than the request body"),
        binary("negative jsonLength", fits, new byte[8], -5,
            "Inference-Header-Content-Length must be a non-negative integer, got -5"),
        binary("jsonLength zero", fits, new byte[8], 0, "the request has no JSON part"),
        binary("jsonLength cutting the JSON short", fits, new byte[8], 20, "request body is not valid JSON"),
        bad("outputs not an array", withTop("\"outputs\":{\"name\":\"y\"}"), "field 'outputs' must be an array"),
        bad("output not an object", withTop("\"outputs\":[\"y\"]"), "outputs[0] must be an object"),
        bad("output without name", withTop("\"outputs\":[{\"parameters\":{}}]"), "outputs[0] has no 'name'"),
        bad("duplicate outputs", withTop("\"outputs\":[{\"name\":\"y\"},{\"name\":\"y\"}]"),
            "output 'y' appears twice in 'outputs'"),
        bad("binary_data not a boolean", withTop("\"outputs\":[{\"name\":\"y\",\"parameters\":{\"binary_data\":1}}]"),
            "outputs[0]: parameter 'binary_data' must be true or false"),
        bad("id not a string", withTop("\"id\":5"), "field 'id' must be a string, got a number"),
        bad("parameters not an object", withTop("\"parameters\":[1]"), "field 'parameters' must be an object"),
        bad("priority negative", withTop("\"parameters\":{\"priority\":-1}"),
            "parameter 'priority' must be a non-negative integer"),
        bad("priority not an integer", withTop("\"parameters\":{\"priority\":\"high\"}"),
            "parameter 'priority' must be a non-negative integer (1 = highest, 0 = default), got 'high'"),
        bad("priority fractional", withTop("\"parameters\":{\"priority\":1.5}"), "parameter 'priority'"),
        bad("timeout negative", withTop("\"parameters\":{\"timeout\":-100}"),
            "parameter 'timeout' must be a non-negative integer of microseconds, got '-100'"),
        bad("offload unknown", withTop("\"parameters\":{\"offload\":\"sometimes\"}"),
            "parameter 'offload' must be one of auto, never, prefer, got 'sometimes'"),
        bad("binary_data_output not a boolean", withTop("\"parameters\":{\"binary_data_output\":\"yes\"}"),
            "parameter 'binary_data_output' must be true or false"),
        new Bad("UTF-16 body", Buffer.buffer("{\"inputs\":[]}".getBytes(StandardCharsets.UTF_16LE)), -1, 400,
            "UTF-8"),
        new Bad("BYTES element over maxStringBytes", Buffer.buffer(x("BYTES", "[1]",
            "[\"" + "a".repeat(CodecLimits.DEFAULT_MAX_STRING_BYTES + 1) + "\"]")), -1, 413,
            "input 'x': element 0 is longer than 1048576 bytes (limit maxStringBytes)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badRequests")
  void rejectsWithAMessageNamingTheProblem(Bad bad) {
    RequestDecoder decoder = new RequestDecoder();
    InferenceException e = assertThrows(InferenceException.class,
        () -> decoder.decode("m", null, bad.body(), bad.jsonLength()));
    assertEquals(bad.status(), e.status(), e.getMessage());
    assertEquals(bad.status() == 413 ? InferenceException.TooLarge.class : InferenceException.InvalidInput.class,
        e.getClass());
    assertTrue(e.getMessage().contains(bad.phrase()), () -> "message: " + e.getMessage());
    // No parser internals leak to the client.
    assertFalse(e.getMessage().contains("[Source") || e.getMessage().contains("`"), e.getMessage());
  }
}
