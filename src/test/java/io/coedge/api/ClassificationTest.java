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
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;

/** Triton's classification extension on the shipped sensor classifier (labels from its config.yaml), over HTTP. */
@Timeout(60)
class ClassificationTest {

  static final String INFER = "/v2/models/sensor-anomaly/infer";
  /** Two held-out rows from models/README.md: tool wear failure, then power failure. */
  static final JsonArray ROWS = new JsonArray()
      .add(300).add(311.2).add(1954.3).add(19.4).add(210.9).add(3.3).add(1).add(9.3)
      .add(301.8).add(311.3).add(1940.1).add(8.6).add(13.7).add(1.8).add(1).add(4.5);
  @RegisterExtension
  static final RunningNode NODE = new RunningNode(TestNodes.SHIPPED_MODELS);

  static JsonObject request(JsonObject outputParameters) {
    return new JsonObject()
        .put("inputs", new JsonArray().add(new JsonObject().put("name", "features").put("datatype", "FP32")
            .put("shape", new JsonArray().add(2).add(8)).put("data", ROWS)))
        .put("outputs", new JsonArray().add(new JsonObject().put("name", "probabilities")
            .put("parameters", outputParameters)));
  }

  static JsonObject output(HttpResponse<Buffer> r) {
    assertEquals(200, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject().getJsonArray("outputs").getJsonObject(0);
  }

  @Test
  void topClassesComeAsScoreIndexLabelPerRow() {
    JsonArray probabilities = output(NODE.http().post(INFER, request(new JsonObject()))).getJsonArray("data");
    JsonObject top = output(NODE.http().post(INFER, request(new JsonObject().put("classification", 2))));
    assertEquals("BYTES", top.getString("datatype"));
    assertEquals(new JsonArray().add(2).add(2), top.getJsonArray("shape"));
    JsonArray data = top.getJsonArray("data");
    assertTrue(data.getString(0).endsWith(":1:tool_wear_failure"), data.encode());
    assertTrue(data.getString(2).endsWith(":3:power_failure"), data.encode());
    assertEquals(String.format(Locale.ROOT, "%f", probabilities.getDouble(1)),
        data.getString(0).substring(0, data.getString(0).indexOf(':')));
    double first = Double.parseDouble(data.getString(0).split(":")[0]);
    double second = Double.parseDouble(data.getString(1).split(":")[0]);
    assertTrue(first >= second, data.encode());
  }

  @Test
  void theServerAdvertisesTheExtension() {
    assertTrue(NODE.http().get("/v2").bodyAsJsonObject().getJsonArray("extensions").contains("classification"));
  }

  @Test
  void classificationWorksInBinaryOutputToo() {
    Buffer json = request(new JsonObject().put("classification", 1).put("binary_data", true)).toBuffer();
    HttpResponse<Buffer> r = NODE.http().post(INFER, json, MultiMap.caseInsensitiveMultiMap()
        .add("content-type", "application/json"));
    assertEquals(200, r.statusCode(), r.bodyAsString());
    int jsonLength = Integer.parseInt(r.getHeader("inference-header-content-length"));
    Buffer bin = r.body().getBuffer(jsonLength, r.body().length());
    List<String> elements = new ArrayList<>();
    for (int at = 0; at < bin.length(); ) {
      int n = bin.getIntLE(at);
      elements.add(new String(bin.getBytes(at + 4, at + 4 + n), StandardCharsets.UTF_8));
      at += 4 + n;
    }
    assertEquals(2, elements.size(), elements.toString());
    assertTrue(elements.get(0).endsWith(":1:tool_wear_failure"), elements.toString());
    assertTrue(elements.get(1).endsWith(":3:power_failure"), elements.toString());
  }

  @Test
  void aClassCountOutsideOneToTheClassCountIs400() {
    for (int k : new int[] {0, -1, 6}) {
      HttpResponse<Buffer> r = NODE.http().post(INFER, request(new JsonObject().put("classification", k)));
      assertEquals(400, r.statusCode(), k + ": " + r.bodyAsString());
      assertTrue(r.bodyAsJsonObject().getString("error").contains("classification"), r.bodyAsString());
    }
    HttpResponse<Buffer> r = NODE.http().post(INFER, request(new JsonObject().put("classification", "2")));
    assertEquals(400, r.statusCode(), r.bodyAsString());
  }
}
