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
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;

/** The committed models in models/, served for real: the classifier agrees with the rules it was trained on. */
@Timeout(60)
class ShippedModelsTest {


  /** Held-out rows from models/README.md, one per class, in class order. */
  static final double[][] ROWS = {
      {299.7, 310.1, 1564, 42.3, 147, 3.3, 0, 13.3},
      {300, 311.2, 1954.3, 19.4, 210.9, 3.3, 1, 9.3},
      {302.9, 310.9, 1365.2, 44.2, 42.7, 2.4, 1, 12.5},
      {301.8, 311.3, 1940.1, 8.6, 13.7, 1.8, 1, 4.5},
      {301.8, 313.5, 1196.1, 62.3, 206.1, 4.2, 1, 15.1}};

  @RegisterExtension
  static final RunningNode NODE = new RunningNode(TestNodes.SHIPPED_MODELS);

  private static JsonObject sensorRequest() {
    JsonArray data = new JsonArray();
    for (double[] row : ROWS) {
      JsonArray r = new JsonArray();
      for (double v : row) {
        r.add(v);
      }
      data.add(r);
    }
    return new JsonObject().put("inputs", new JsonArray().add(new JsonObject().put("name", "features")
        .put("shape", new JsonArray().add(ROWS.length).add(8)).put("datatype", "FP32").put("data", data)));
  }

  @Test
  void bothSensorModelsPickTheRuleClassOfEachExampleRow() {
    for (String model : List.of("sensor-anomaly", "sensor-anomaly-large")) {
      HttpResponse<Buffer> r = NODE.http().post("/v2/models/" + model + "/infer", sensorRequest());
      assertEquals(200, r.statusCode(), r.bodyAsString());
      JsonObject out = r.bodyAsJsonObject().getJsonArray("outputs").getJsonObject(0);
      assertEquals("probabilities", out.getString("name"));
      assertEquals(new JsonArray().add(ROWS.length).add(5), out.getJsonArray("shape"));
      JsonArray p = out.getJsonArray("data");
      for (int row = 0; row < ROWS.length; row++) {
        int best = 0;
        double sum = 0;
        for (int c = 0; c < 5; c++) {
          double v = p.getDouble(row * 5 + c);
          sum += v;
          if (v > p.getDouble(row * 5 + best)) {
            best = c;
          }
        }
        assertEquals(row, best, model + " row " + row + " classified as " + best);
        assertEquals(1.0, sum, 1e-4, "softmax sums to 1");
      }
    }
  }

  @Test
  void trafficCounterTakesABinaryFrameAndCountsAreNonNegative() {
    int n = 3 * 96 * 96;
    ByteBuffer frame = ByteBuffer.allocate(n * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < n; i++) {
      frame.putFloat((i % 251) / 251f);
    }
    Buffer json = new JsonObject().put("inputs", new JsonArray().add(new JsonObject().put("name", "frames")
        .put("shape", new JsonArray().add(1).add(3).add(96).add(96)).put("datatype", "FP32")
        .put("parameters", new JsonObject().put("binary_data_size", n * 4)))).toBuffer();
    HttpResponse<Buffer> r = NODE.http().post("/v2/models/traffic-counter/infer",
        Buffer.buffer().appendBuffer(json).appendBytes(frame.array()),
        MultiMap.caseInsensitiveMultiMap().add("Inference-Header-Content-Length", Integer.toString(json.length())));
    assertEquals(200, r.statusCode(), r.bodyAsString());
    JsonObject out = r.bodyAsJsonObject().getJsonArray("outputs").getJsonObject(0);
    assertEquals("counts", out.getString("name"));
    assertEquals(new JsonArray().add(1).add(4), out.getJsonArray("shape"));
    JsonArray counts = out.getJsonArray("data");
    double total = 0;
    for (int i = 0; i < 4; i++) {
      assertTrue(counts.getDouble(i) >= 0, "count " + i + " is " + counts.getDouble(i));
      total += counts.getDouble(i);
    }
    assertTrue(total > 0, "a real graph gives some non-zero count: " + counts);
  }
}
