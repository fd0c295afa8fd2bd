package io.coedge.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.coedge.RunningNode;
import io.coedge.TestNodes;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;

/** Shapes Triton accepts for inputs it reshapes: [1] for a scalar, [N, 1] for one value per row (real ONNX). */
@Timeout(60)
class ScalarShapeTest {

  @RegisterExtension
  static final RunningNode NODE = new RunningNode(TestNodes.TEST_MODELS);

  static HttpResponse<Buffer> infer(String model, JsonArray shape, JsonArray data) {
    return NODE.http().post("/v2/models/" + model + "/infer", new JsonObject().put("inputs", new JsonArray()
        .add(new JsonObject().put("name", "x").put("datatype", "FP32").put("shape", shape).put("data", data))));
  }

  static JsonArray y(HttpResponse<Buffer> r) {
    assertEquals(200, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject().getJsonArray("outputs").getJsonObject(0).getJsonArray("data");
  }

  @Test
  void aScalarInputTakesShapeOneAsWellAsNoShape() {
    assertEquals(new JsonArray().add(6.0), y(infer("scalar", new JsonArray().add(1), new JsonArray().add(2))));
    assertEquals(new JsonArray().add(6.0), y(infer("scalar", new JsonArray(), new JsonArray().add(2))));
  }

  @Test
  void aBatchedPerRowInputTakesATrailingOne() {
    assertEquals(new JsonArray().add(3.0).add(6.0),
        y(infer("per-row", new JsonArray().add(2).add(1), new JsonArray().add(1).add(2))));
    assertEquals(new JsonArray().add(3.0).add(6.0),
        y(infer("per-row", new JsonArray().add(2), new JsonArray().add(1).add(2))));
  }

  @Test
  void otherExtraDimensionsAreStill400() {
    assertEquals(400, infer("scalar", new JsonArray().add(2), new JsonArray().add(1).add(2)).statusCode());
    assertEquals(400, infer("scalar", new JsonArray().add(1).add(1), new JsonArray().add(1)).statusCode());
    assertEquals(400, infer("per-row", new JsonArray().add(1).add(2), new JsonArray().add(1).add(2)).statusCode());
  }
}
