package io.coedge.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coedge.Gateway;
import io.coedge.Http;
import io.coedge.TestNodes;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile and malformed requests over real HTTP: each gets the right 4xx with an {@code error} that
 * names what was wrong, and the node keeps serving.
 */
@Timeout(120)
class BadRequestTest {

  static Gateway node;
  static Http http;

  @BeforeAll
  static void start() throws Exception {
    node = TestNodes.start(TestNodes.TEST_MODELS, Map.of("http.max-body-bytes", "65536"));
    http = new Http(node.port());
  }

  @AfterAll
  static void stop() throws Exception {
    http.close();
    TestNodes.stop(node);
  }

  private static final String OK_INPUT = "{\"name\":\"x\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[1,2,3,4]}";

  private static String inputs(String... in) {
    return "{\"inputs\":[" + String.join(",", in) + "]}";
  }

  private static String x(String shape, String type, String data) {
    return "{\"name\":\"x\",\"shape\":" + shape + ",\"datatype\":\"" + type + "\",\"data\":" + data + "}";
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("add-one", "not json", 400, "JSON"),
        Arguments.of("add-one", "", 400, "JSON"),
        Arguments.of("add-one", "[1,2]", 400, "object"),
        Arguments.of("add-one", "{}", 400, "inputs"),
        Arguments.of("add-one", "{\"inputs\":{}}", 400, "inputs"),
        Arguments.of("add-one", "{\"inputs\":[]}", 400, "inputs"),
        Arguments.of("add-one", "{\"inputs\":[42]}", 400, "input"),
        Arguments.of("add-one", inputs("{\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[1,2,3,4]}"), 400, "name"),
        Arguments.of("add-one", inputs(OK_INPUT, OK_INPUT), 400, "x"),
        Arguments.of("add-one", inputs("{\"name\":\"x\",\"shape\":[1,4],\"data\":[1,2,3,4]}"), 400, "datatype"),
        Arguments.of("add-one", inputs(x("[1,4]", "FP33", "[1,2,3,4]")), 400, "FP33"),
        Arguments.of("add-one", inputs("{\"name\":\"x\",\"datatype\":\"FP32\",\"data\":[1,2,3,4]}"), 400, "shape"),
        Arguments.of("add-one", inputs(x("\"1,4\"", "FP32", "[1,2,3,4]")), 400, "shape"),
        Arguments.of("add-one", inputs(x("[1,-4]", "FP32", "[1,2,3,4]")), 400, "shape"),
        Arguments.of("add-one", inputs(x("[1.5,4]", "FP32", "[1,2,3,4]")), 400, "shape"),
        Arguments.of("add-one", inputs(x("[1,1,1,1,1,1,1,1,1,1,1,4]", "FP32", "[1,2,3,4]")), 400, "x"),
        Arguments.of("add-one", inputs(x("[4294967296,4294967296]", "FP32", "[1]")), 400, "x"),
        Arguments.of("add-one", inputs(x("[1,4]", "FP32", "[1,2,3]")), 400, "x"),
        Arguments.of("add-one", inputs(x("[1,4]", "FP32", "[1,2,3,4,5]")), 400, "x"),
        Arguments.of("add-one", inputs(x("[1,4]", "FP32", "[1,2,\"three\",4]")), 400, "x"),
        Arguments.of("add-one", inputs(x("[1,4]", "FP32", "[1,2,true,4]")), 400, "x"),
        Arguments.of("add-one", inputs(x("[1,4]", "FP32", "[1,2,NaN,4]")), 400, "JSON"),
        Arguments.of("add-one", inputs(x("[1,4]", "FP32", "[1,2,null,4]")), 400, "x"),
        Arguments.of("add-one", inputs(x("[1,4]", "FP32", "[1,2,{},4]")), 400, "x"),
        Arguments.of("add-one", inputs(x("[1,4]", "INT8", "[1,2,300,4]")), 400, "x"),
        Arguments.of("add-one", inputs(x("[1,4]", "UINT8", "[1,2,-1,4]")), 400, "x"),
        Arguments.of("add-one", inputs(x("[1,4]", "INT32", "[1,2,3.5,4]")), 400, "x"),
        Arguments.of("add-one", inputs("{\"name\":\"x\",\"shape\":[1,4],\"datatype\":\"FP32\"}"), 400, "x"),
        Arguments.of("add-one", inputs(x("[1,4]", "FP64", "[1,2,3,4]")), 400, "FP64"),
        Arguments.of("add-one", inputs(x("[1,5]", "FP32", "[1,2,3,4,5]")), 400, "shape"),
        Arguments.of("add-one", inputs(x("[4]", "FP32", "[1,2,3,4]")), 400, "shape"),
        Arguments.of("add-one", inputs(x("[0,4]", "FP32", "[]")), 400, "batch"),
        Arguments.of("add-one", inputs("{\"name\":\"z\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[1,2,3,4]}"),
            400, "'z'"),
        Arguments.of("two-outputs", "{\"inputs\":[" + x("[1,3]", "FP32", "[1,2,3]")
            + "],\"outputs\":[{\"name\":\"nope\"}]}", 400, "nope"),
        Arguments.of("add-one", "{\"inputs\":[" + OK_INPUT + "],\"outputs\":{}}", 400, "outputs"),
        Arguments.of("add-one", "{\"id\":7,\"inputs\":[" + OK_INPUT + "]}", 400, "id"),
        Arguments.of("add-one", "{\"parameters\":{\"priority\":-1},\"inputs\":[" + OK_INPUT + "]}", 400, "priority"),
        Arguments.of("add-one", "{\"parameters\":{\"timeout\":\"soon\"},\"inputs\":[" + OK_INPUT + "]}", 400,
            "timeout"),
        Arguments.of("add-one", "{\"parameters\":{\"offload\":\"always\"},\"inputs\":[" + OK_INPUT + "]}", 400,
            "offload"),
        Arguments.of("add-one", inputs(x("[1,4]", "FP32", "[" + "[".repeat(5000) + "]".repeat(5000) + "]")), 400,
            "x"),
        Arguments.of("add-one", "{\"inputs\":[" + OK_INPUT, 400, "JSON"),
        Arguments.of("nope", inputs(OK_INPUT), 404, "nope"),
        Arguments.of("add-one/versions/7", inputs(OK_INPUT), 404, "7"),
        Arguments.of("add-one", "{\"inputs\":[" + OK_INPUT + "]," + "\"pad\":\"" + "a".repeat(70_000) + "\"}", 413,
            "max-body-bytes"));
  }

  @ParameterizedTest(name = "[{index}] {0} -> {2}")
  @MethodSource("cases")
  void badRequestGetsAClear4xx(String model, String body, int status, String mentions) {
    HttpResponse<Buffer> r = http.post("/v2/models/" + model + "/infer", Buffer.buffer(body),
        MultiMap.caseInsensitiveMultiMap().add("content-type", "application/json"));
    assertEquals(status, r.statusCode(), r.bodyAsString());
    String error = r.bodyAsJsonObject().getString("error");
    assertNotNull(error, r.bodyAsString());
    assertTrue(error.contains(mentions), "error '" + error + "' should mention " + mentions);
  }

  @Test
  void binaryHeaderLongerThanTheBodyIs400() {
    HttpResponse<Buffer> r = http.post("/v2/models/add-one/infer", Buffer.buffer(inputs(OK_INPUT)),
        MultiMap.caseInsensitiveMultiMap().add("Inference-Header-Content-Length", "100000"));
    assertEquals(400, r.statusCode(), r.bodyAsString());
    HttpResponse<Buffer> neg = http.post("/v2/models/add-one/infer", Buffer.buffer(inputs(OK_INPUT)),
        MultiMap.caseInsensitiveMultiMap().add("Inference-Header-Content-Length", "-3"));
    assertEquals(400, neg.statusCode(), neg.bodyAsString());
    assertTrue(neg.bodyAsJsonObject().getString("error").contains("Inference-Header-Content-Length"));
  }

  @Test
  void wrongMethodIs405AndNodeStaysHealthyAfterTheSweep() {
    HttpResponse<Buffer> r = http.get("/v2/models/add-one/infer");
    assertEquals(405, r.statusCode());
    assertTrue(r.bodyAsJsonObject().getString("error").contains("GET"));
    assertEquals(200, http.get("/v2/health/ready").statusCode());
    assertEquals(200, http.post("/v2/models/add-one/infer", io.vertx.core.json.JsonObject.of("inputs",
        new io.vertx.core.json.JsonArray().add(new io.vertx.core.json.JsonObject(OK_INPUT)))).statusCode());
  }
}
