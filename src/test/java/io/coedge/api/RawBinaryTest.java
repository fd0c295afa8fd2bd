package io.coedge.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

/** Triton's raw binary request (Inference-Header-Content-Length: 0) against real ONNX sessions, over HTTP. */
@Timeout(60)
class RawBinaryTest {

  @RegisterExtension
  static final RunningNode NODE = new RunningNode(TestNodes.TEST_MODELS);

  static Buffer floats(float... values) {
    Buffer b = Buffer.buffer();
    for (float v : values) {
      b.appendFloatLE(v);
    }
    return b;
  }

  static HttpResponse<Buffer> raw(String model, Buffer body) {
    return NODE.http().post("/v2/models/" + model + "/infer", body, MultiMap.caseInsensitiveMultiMap()
        .add("content-type", "application/octet-stream").add("inference-header-content-length", "0"));
  }

  static String error(HttpResponse<Buffer> r) {
    return r.bodyAsJsonObject().getString("error");
  }

  @Test
  void theWholeBodyIsTheSingleInputWithItsDynamicDimensionDeduced() {
    HttpResponse<Buffer> r = raw("add-one/versions/1", floats(1, 2, 3, 4, 5, 6, 7, 8));
    assertEquals(200, r.statusCode(), r.bodyAsString());
    JsonObject y = r.bodyAsJsonObject().getJsonArray("outputs").getJsonObject(0);
    assertEquals(new JsonArray().add(2).add(4), y.getJsonArray("shape"));
    assertEquals(new JsonArray().add(2.0).add(3.0).add(4.0).add(5.0).add(6.0).add(7.0).add(8.0).add(9.0),
        y.getJsonArray("data"));
  }

  @Test
  void aFixedShapeInputTakesExactlyItsSize() {
    HttpResponse<Buffer> r = raw("fixed-shape", floats(1, -2, 3, -4));
    assertEquals(200, r.statusCode(), r.bodyAsString());
    assertEquals(new JsonArray().add(-1.0).add(2.0).add(-3.0).add(4.0),
        r.bodyAsJsonObject().getJsonArray("outputs").getJsonObject(0).getJsonArray("data"));
    HttpResponse<Buffer> wrong = raw("fixed-shape", floats(1, 2, 3, 4, 5, 6));
    assertEquals(400, wrong.statusCode(), wrong.bodyAsString());
    assertTrue(error(wrong).contains("do not fill input 'x'"), error(wrong));
  }

  @Test
  void aBodyThatIsNotWholeElementsIs400() {
    HttpResponse<Buffer> r = raw("add-one", floats(1, 2, 3, 4).appendByte((byte) 0));
    assertEquals(400, r.statusCode(), r.bodyAsString());
    assertTrue(error(r).contains("not a whole number of FP32 elements"), error(r));
    HttpResponse<Buffer> rows = raw("add-one", floats(1, 2, 3, 4, 5, 6)); // 6 floats: not whole rows of 4
    assertEquals(400, rows.statusCode(), rows.bodyAsString());
  }

  @Test
  void aModelWithSeveralInputsIs400() {
    HttpResponse<Buffer> r = raw("dtypes-supported", floats(1, 2));
    assertEquals(400, r.statusCode(), r.bodyAsString());
    assertTrue(error(r).contains("needs a model with one input"), error(r));
  }

  @Test
  void anUnknownModelIs404() {
    assertEquals(404, raw("no-such-model", floats(1)).statusCode());
  }
}
