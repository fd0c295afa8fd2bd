package io.coedge.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coedge.RunningNode;
import io.coedge.TestNodes;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every protocol datatype through a real ONNX identity graph and back, over HTTP. */
@Timeout(60)
class DatatypesTest {

  @RegisterExtension
  static final RunningNode NODE = new RunningNode(TestNodes.TEST_MODELS);

  static Stream<Arguments> values() {
    return Stream.of(
        Arguments.of("BOOL", new JsonArray().add(true).add(false).add(true).add(true)),
        Arguments.of("UINT8", new JsonArray().add(0).add(1).add(128).add(255)),
        Arguments.of("INT8", new JsonArray().add(-128).add(-1).add(0).add(127)),
        Arguments.of("INT16", new JsonArray().add(-32768).add(-2).add(7).add(32767)),
        Arguments.of("INT32", new JsonArray().add(-2147483648).add(-3).add(9).add(2147483647)),
        Arguments.of("INT64", new JsonArray().add(Long.MIN_VALUE).add(-4L).add(11L).add(Long.MAX_VALUE)),
        Arguments.of("FP16", new JsonArray().add(1.0).add(-2.0).add(0.5).add(65504.0)),
        Arguments.of("FP32", new JsonArray().add(1.5).add(-2.25).add(3.0E10).add(0.0)),
        Arguments.of("FP64", new JsonArray().add(1.0E-300).add(-2.5).add(3.141592653589793).add(0.0)),
        Arguments.of("BYTES", new JsonArray().add("camera-7").add("").add("héllo").add("4")));
  }

  private static JsonObject request(String type, JsonArray data) {
    return new JsonObject()
        .put("inputs", new JsonArray().add(new JsonObject().put("name", "in_" + type)
            .put("shape", new JsonArray().add(2).add(2)).put("datatype", type).put("data", data)))
        .put("outputs", new JsonArray().add(new JsonObject().put("name", "out_" + type)));
  }

  /** The dtypes-supported model needs every input; give each type the same shape and neutral values. */
  private static JsonObject fullRequest(String type, JsonArray data) {
    JsonObject req = request(type, data);
    values().forEach(a -> {
      String other = (String) a.get()[0];
      if (!other.equals(type)) {
        req.getJsonArray("inputs").add(new JsonObject().put("name", "in_" + other)
            .put("shape", new JsonArray().add(2).add(2)).put("datatype", other).put("data", a.get()[1]));
      }
    });
    return req;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("values")
  void everyDatatypeRoundTripsThroughAnIdentityGraph(String type, JsonArray data) {
    HttpResponse<Buffer> r = NODE.http().post("/v2/models/dtypes-supported/infer", fullRequest(type, data));
    assertEquals(200, r.statusCode(), r.bodyAsString());
    JsonObject out = r.bodyAsJsonObject().getJsonArray("outputs").getJsonObject(0);
    assertEquals("out_" + type, out.getString("name"));
    assertEquals(type, out.getString("datatype"));
    assertEquals(new JsonArray().add(2).add(2), out.getJsonArray("shape"));
    JsonArray got = out.getJsonArray("data");
    for (int i = 0; i < data.size(); i++) {
      Object want = data.getValue(i);
      Object have = got.getValue(i);
      if (want instanceof Number w) {
        assertEquals(w.doubleValue(), ((Number) have).doubleValue(), Math.abs(w.doubleValue()) * 1e-7,
            type + "[" + i + "]");
      } else {
        assertEquals(want, have, type + "[" + i + "]");
      }
    }
  }

  @Test
  void unsignedWideInputsAreAnswered501BecauseOnnxRuntimeJavaCannotCreateThem() {
    JsonObject req = new JsonObject();
    JsonArray inputs = new JsonArray();
    for (String t : new String[] {"BOOL", "UINT8", "UINT16", "UINT32", "UINT64", "INT8", "INT16", "INT32", "INT64",
        "FP16", "FP32", "FP64"}) {
      inputs.add(new JsonObject().put("name", "in_" + t).put("shape", new JsonArray().add(1).add(1))
          .put("datatype", t).put("data", new JsonArray().add(t.equals("BOOL") ? (Object) true : (Object) 1)));
    }
    inputs.add(new JsonObject().put("name", "in_BYTES").put("shape", new JsonArray().add(1).add(1))
        .put("datatype", "BYTES").put("data", new JsonArray().add("a")));
    req.put("inputs", inputs);
    HttpResponse<Buffer> r = NODE.http().post("/v2/models/dtypes/infer", req);
    assertEquals(501, r.statusCode(), r.bodyAsString());
    assertTrue(r.bodyAsJsonObject().getString("error").contains("UINT"), r.bodyAsString());
  }
}
