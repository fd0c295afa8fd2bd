package io.coedge.api;

import static io.coedge.api.SchedulingOverHttpTest.metric;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coedge.Eventually;
import io.coedge.RunningNode;
import io.coedge.TestNodes;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Tensors sent in the binary extension are views of the request body that the worker copies into its batch buffer:
 * batches mixing binary and JSON requests of different row counts answer each request exactly as JSON does and as
 * the request alone does, over real HTTP and ONNX Runtime (one worker, so concurrent requests coalesce).
 */
@Timeout(120)
class BinaryBatchingTest {

  @RegisterExtension
  static final RunningNode NODE = new RunningNode(TestNodes.TEST_MODELS, Map.of("inference.workers", "1",
      "inference.inline-max-us", "0")); // no job runs on the event loop: concurrent requests always coalesce

  /** Row {@code r} of request {@code i}, column {@code c}: quarter steps, exact in FP32 and in JSON. */
  private static float value(int i, int r, int c) {
    return i * 0.25f + r * 3 + c - 20;
  }

  /** Request {@code i}'s rows; {@code cols} 0: a rank-1 input, one element per row. */
  private static float[] data(int i, int rows, int cols) {
    int width = Math.max(1, cols);
    float[] x = new float[rows * width];
    for (int k = 0; k < x.length; k++) {
      x[k] = value(i, k / width, k % width);
    }
    return x;
  }

  private static JsonArray shape(int rows, int cols) {
    return cols == 0 ? new JsonArray().add(rows) : new JsonArray().add(rows).add(cols);
  }

  private static Future<HttpResponse<Buffer>> json(String model, float[] x, JsonArray shape) {
    JsonArray data = new JsonArray();
    for (float f : x) {
      data.add(f);
    }
    return NODE.http().postAsync("/v2/models/" + model + "/infer", new JsonObject().put("inputs", new JsonArray()
        .add(new JsonObject().put("name", "x").put("shape", shape).put("datatype", "FP32").put("data", data))));
  }

  /** A binary-extension request; {@code declared} is its binary_data_size (the true size unless testing a lie). */
  private static Future<HttpResponse<Buffer>> binary(String model, float[] x, JsonArray shape, int declared,
      boolean binaryOut) {
    ByteBuffer raw = ByteBuffer.allocate(x.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float f : x) {
      raw.putFloat(f);
    }
    Buffer header = new JsonObject().put("parameters", new JsonObject().put("binary_data_output", binaryOut))
        .put("inputs", new JsonArray().add(new JsonObject().put("name", "x").put("shape", shape)
            .put("datatype", "FP32").put("parameters", new JsonObject().put("binary_data_size", declared))))
        .toBuffer();
    return NODE.http().postAsync("/v2/models/" + model + "/infer", Buffer.buffer().appendBuffer(header)
        .appendBytes(raw.array()), MultiMap.caseInsensitiveMultiMap()
        .add("Inference-Header-Content-Length", Integer.toString(header.length()))
        .add("content-type", "application/octet-stream"));
  }

  /** Output name -> its values as JSON numbers, from a JSON or a binary-extension answer. */
  private static Map<String, JsonArray> outputs(HttpResponse<Buffer> r) {
    assertEquals(200, r.statusCode(), r.bodyAsString());
    String length = r.getHeader("Inference-Header-Content-Length");
    int jsonLength = length == null ? r.body().length() : Integer.parseInt(length);
    JsonArray outs = r.body().getBuffer(0, jsonLength).toJsonObject().getJsonArray("outputs");
    Map<String, JsonArray> byName = new java.util.LinkedHashMap<>();
    int at = jsonLength;
    for (int o = 0; o < outs.size(); o++) {
      JsonObject out = outs.getJsonObject(o);
      JsonArray values = out.getJsonArray("data");
      if (values == null) {
        int size = out.getJsonObject("parameters").getInteger("binary_data_size");
        ByteBuffer b = ByteBuffer.wrap(r.body().getBytes(at, at + size)).order(ByteOrder.LITTLE_ENDIAN);
        values = new JsonArray();
        while (b.hasRemaining()) {
          values.add((double) b.getFloat());
        }
        at += size;
      }
      byName.put(out.getString("name") + " " + out.getJsonArray("shape"), values);
    }
    return byName;
  }

  private static double batches(String model) {
    return metric(NODE.http().get("/metrics").bodyAsString(), "coedge_batch_size_count{model=\"" + model + "\"}");
  }

  private static double rows(String model) {
    return metric(NODE.http().get("/metrics").bodyAsString(), "coedge_batch_size_sum{model=\"" + model + "\"}");
  }

  /**
   * Sends every request as JSON and in the binary extension at once, rows 1 to 4 (cols 0: a rank-1 input), then
   * each alone; every answer equals its request's lone JSON answer, and batches formed.
   */
  private void sameAnswersBatchedAndAlone(String model, int cols, int n) {
    double batchesBefore = batches(model);
    double rowsBefore = rows(model);
    List<Future<HttpResponse<Buffer>>> asJson = new ArrayList<>();
    List<Future<HttpResponse<Buffer>>> asBinary = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int rows = 1 + i % 4;
      float[] x = data(i, rows, cols);
      asJson.add(json(model, x, shape(rows, cols)));
      asBinary.add(binary(model, x, shape(rows, cols), x.length * 4, i % 2 == 0));
    }
    Eventually.await(Future.join(asJson));
    Eventually.await(Future.join(asBinary));
    double ranBatches = batches(model) - batchesBefore;
    double ranRows = rows(model) - rowsBefore;
    assertTrue(ranBatches < 2 * n, "requests were coalesced: " + ranBatches + " batches, " + ranRows + " rows");
    for (int i = 0; i < n; i++) {
      int rows = 1 + i % 4;
      Map<String, JsonArray> alone = outputs(Eventually.await(json(model, data(i, rows, cols), shape(rows, cols))));
      assertEquals(alone, outputs(asJson.get(i).result()), "request " + i + " as JSON, batched");
      assertEquals(alone, outputs(asBinary.get(i).result()), "request " + i + " in binary, batched");
    }
  }

  @Test
  void binaryAndJsonRequestsBatchedTogetherAnswerAsEachAlone() {
    sameAnswersBatchedAndAlone("two-outputs", 3, 160);
    // and the answer is the model's: a row's sum and its doubled values
    Map<String, JsonArray> one = outputs(Eventually.await(binary("two-outputs", data(5, 2, 3), shape(2, 3), 24,
        true)));
    float[] x = data(5, 2, 3);
    assertEquals(new JsonArray().add((double) (x[0] + x[1] + x[2])).add((double) (x[3] + x[4] + x[5])),
        one.get("sum [2,1]"), one.toString());
    JsonArray doubled = new JsonArray();
    for (float f : x) {
      doubled.add((double) (f * 2));
    }
    assertEquals(doubled, one.get("doubled [2,3]"), one.toString());
  }

  @Test
  void rankOneInputsBatchFromBinarySectionsAsFromJson() {
    sameAnswersBatchedAndAlone("per-row", 0, 120);
  }

  @Test
  void aBinaryRequestThatLiesAboutItsSizeFailsAloneAmongBatchedOnes() {
    List<Future<HttpResponse<Buffer>>> good = new ArrayList<>();
    List<Future<HttpResponse<Buffer>>> bad = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      float[] x = data(i, 2, 3);
      good.add(binary("two-outputs", x, shape(2, 3), 24, false));
      bad.add(binary("two-outputs", x, shape(2, 3), i % 2 == 0 ? 20 : 28, false));
    }
    Eventually.await(Future.join(good));
    Eventually.await(Future.join(bad));
    for (int i = 0; i < 60; i++) {
      HttpResponse<Buffer> r = bad.get(i).result();
      assertEquals(400, r.statusCode(), r.bodyAsString());
      assertTrue(r.bodyAsJsonObject().getString("error").contains("binary"), r.bodyAsString());
      Map<String, JsonArray> alone = outputs(Eventually.await(json("two-outputs", data(i, 2, 3), shape(2, 3))));
      assertEquals(alone, outputs(good.get(i).result()), "request " + i);
    }
  }
}
