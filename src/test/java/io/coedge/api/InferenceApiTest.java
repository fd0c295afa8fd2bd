package io.coedge.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;

/** The Open Inference Protocol endpoints over real HTTP and real ONNX Runtime sessions (test-models). */
@Timeout(60)
class InferenceApiTest {

  @RegisterExtension
  static final RunningNode NODE = new RunningNode(TestNodes.TEST_MODELS);

  static JsonObject addOneRequest(float... values) {
    JsonArray data = new JsonArray();
    for (float v : values) {
      data.add(v);
    }
    return new JsonObject().put("id", "req-42").put("inputs", new JsonArray().add(new JsonObject()
        .put("name", "x").put("shape", new JsonArray().add(values.length / 4).add(4)).put("datatype", "FP32")
        .put("data", data)));
  }

  @Test
  void liveAndReadyAnswerTrue() {
    assertEquals(new JsonObject().put("live", true), NODE.http().get("/v2/health/live").bodyAsJsonObject());
    HttpResponse<Buffer> ready = NODE.http().get("/v2/health/ready");
    assertEquals(200, ready.statusCode());
    assertTrue(ready.bodyAsJsonObject().getBoolean("ready"));
  }

  @Test
  void serverMetadataListsWorkingExtensions() {
    JsonObject meta = NODE.http().get("/v2").bodyAsJsonObject();
    assertEquals("coedge", meta.getString("name"));
    assertTrue(meta.getJsonArray("extensions").contains("binary_tensor_data"));
    assertNotNull(meta.getString("version"));
  }

  @Test
  void modelMetadataComesFromTheGraphWithDynamicDimsAsMinusOne() {
    JsonObject meta = NODE.http().get("/v2/models/add-one").bodyAsJsonObject();
    assertEquals("add-one", meta.getString("name"));
    assertEquals("onnxruntime_onnx", meta.getString("platform"));
    assertEquals(new JsonArray().add("1").add("2"), meta.getJsonArray("versions"));
    JsonObject input = meta.getJsonArray("inputs").getJsonObject(0);
    assertEquals("x", input.getString("name"));
    assertEquals("FP32", input.getString("datatype"));
    assertEquals(new JsonArray().add(-1).add(4), input.getJsonArray("shape"));
    assertEquals("y", meta.getJsonArray("outputs").getJsonObject(0).getString("name"));
    assertEquals(200, NODE.http().get("/v2/models/add-one/versions/1").statusCode());
  }

  @Test
  void latestVersionServesByDefaultAndAPinnedVersionIsReachable() {
    HttpResponse<Buffer> latest = NODE.http().post("/v2/models/add-one/infer", addOneRequest(1, 2, 3, 4));
    assertEquals(200, latest.statusCode(), latest.bodyAsString());
    JsonObject body = latest.bodyAsJsonObject();
    assertEquals("add-one", body.getString("model_name"));
    assertEquals("2", body.getString("model_version"));
    assertEquals("req-42", body.getString("id"));
    JsonObject y = body.getJsonArray("outputs").getJsonObject(0);
    assertEquals(new JsonArray().add(3.0).add(4.0).add(5.0).add(6.0), y.getJsonArray("data"));
    assertEquals(new JsonArray().add(1).add(4), y.getJsonArray("shape"));
    assertEquals("FP32", y.getString("datatype"));

    JsonObject v1 = NODE.http().post("/v2/models/add-one/versions/1/infer", addOneRequest(1, 2, 3, 4)).bodyAsJsonObject();
    assertEquals("1", v1.getString("model_version"));
    assertEquals(2.0, v1.getJsonArray("outputs").getJsonObject(0).getJsonArray("data").getDouble(0));
  }

  @Test
  void inferAnswersCarryTheCoedgeHeaders() {
    long t0 = System.nanoTime();
    HttpResponse<Buffer> r = NODE.http().post("/v2/models/add-one/infer", addOneRequest(0, 0, 0, 0));
    long clientUs = (System.nanoTime() - t0) / 1000;
    assertEquals("test-node", r.getHeader("coedge-served-by"));
    assertEquals("local", r.getHeader("coedge-route"));
    long queueUs = Long.parseLong(r.getHeader("coedge-queue-us"));
    long computeUs = Long.parseLong(r.getHeader("coedge-compute-us"));
    // µs, within what the client saw end to end (a header in ns, or a time from the wrong clock, would not be)
    assertTrue(queueUs >= 0 && computeUs >= 0 && queueUs + computeUs <= clientUs,
        "queue " + queueUs + " + compute " + computeUs + " µs within the client's " + clientUs + " µs");
  }

  @Test
  void nestedDataIsAcceptedAndOutputsCanBeSelected() {
    JsonObject req = new JsonObject().put("inputs", new JsonArray().add(new JsonObject().put("name", "x")
        .put("shape", new JsonArray().add(2).add(3)).put("datatype", "FP32")
        .put("data", new JsonArray().add(new JsonArray().add(1).add(2).add(3)).add(new JsonArray().add(4).add(5)
            .add(6)))))
        .put("outputs", new JsonArray().add(new JsonObject().put("name", "sum")));
    JsonObject body = NODE.http().post("/v2/models/two-outputs/infer", req).bodyAsJsonObject();
    JsonArray outputs = body.getJsonArray("outputs");
    assertEquals(1, outputs.size(), "only the selected output: " + body);
    assertEquals("sum", outputs.getJsonObject(0).getString("name"));
    assertEquals(new JsonArray().add(6.0).add(15.0), outputs.getJsonObject(0).getJsonArray("data"));
    assertFalse(body.containsKey("id"), "no id in the request, none echoed");
  }

  @Test
  void binaryInputAndOutputFollowTritonsLayout() {
    float[] x = {1.5f, -2f, 3.25f, 100f};
    ByteBuffer raw = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
    for (float f : x) {
      raw.putFloat(f);
    }
    JsonObject header = new JsonObject().put("inputs", new JsonArray().add(new JsonObject().put("name", "x")
        .put("shape", new JsonArray().add(1).add(4)).put("datatype", "FP32")
        .put("parameters", new JsonObject().put("binary_data_size", 16))))
        .put("outputs", new JsonArray().add(new JsonObject().put("name", "y")
            .put("parameters", new JsonObject().put("binary_data", true))));
    Buffer json = header.toBuffer();
    Buffer body = Buffer.buffer().appendBuffer(json).appendBytes(raw.array());
    HttpResponse<Buffer> r = NODE.http().post("/v2/models/add-one/versions/1/infer", body, MultiMap.caseInsensitiveMultiMap()
        .add("Inference-Header-Content-Length", Integer.toString(json.length()))
        .add("content-type", "application/octet-stream"));
    assertEquals(200, r.statusCode(), r.bodyAsString());
    int jsonLength = Integer.parseInt(r.getHeader("Inference-Header-Content-Length"));
    JsonObject meta = r.body().getBuffer(0, jsonLength).toJsonObject();
    JsonObject y = meta.getJsonArray("outputs").getJsonObject(0);
    assertEquals(16, y.getJsonObject("parameters").getInteger("binary_data_size"));
    assertFalse(y.containsKey("data"));
    ByteBuffer out = ByteBuffer.wrap(r.body().getBytes(jsonLength, jsonLength + 16)).order(ByteOrder.LITTLE_ENDIAN);
    for (float f : x) {
      assertEquals(f + 1, out.getFloat(), 0f);
    }
  }

  @Test
  void unknownModelOrVersionIs404WithAnError() {
    HttpResponse<Buffer> m = NODE.http().get("/v2/models/nope");
    assertEquals(404, m.statusCode());
    assertTrue(m.bodyAsJsonObject().getString("error").contains("nope"));
    HttpResponse<Buffer> v = NODE.http().post("/v2/models/add-one/versions/9/infer", addOneRequest(1, 2, 3, 4));
    assertEquals(404, v.statusCode());
    assertTrue(v.bodyAsJsonObject().getString("error").contains("9"));
    assertEquals(404, NODE.http().get("/v2/no/such/route").statusCode());
  }

  @Test
  void modelThatFailedToLoadIsNotReadyWhileOthersServe() {
    HttpResponse<Buffer> broken = NODE.http().get("/v2/models/broken/ready");
    assertEquals(503, broken.statusCode());
    assertEquals(false, broken.bodyAsJsonObject().getBoolean("ready"));
    assertNotNull(broken.getHeader("retry-after"));
    HttpResponse<Buffer> ok = NODE.http().get("/v2/models/add-one/ready");
    assertEquals(200, ok.statusCode());
    assertTrue(ok.bodyAsJsonObject().getBoolean("ready"));
    assertEquals(200, NODE.http().get("/v2/models/add-one/versions/2/ready").statusCode());
  }

  @Test
  void modelWithoutBatchDimensionServesItsFixedShape() {
    JsonObject req = new JsonObject().put("inputs", new JsonArray().add(new JsonObject().put("name", "x")
        .put("shape", new JsonArray().add(2).add(2)).put("datatype", "FP32")
        .put("data", new JsonArray().add(1).add(-2).add(3).add(-4))));
    JsonObject body = NODE.http().post("/v2/models/fixed-shape/infer", req).bodyAsJsonObject();
    assertEquals(new JsonArray().add(-1.0).add(2.0).add(-3.0).add(4.0),
        body.getJsonArray("outputs").getJsonObject(0).getJsonArray("data"));
  }

  @Test
  void metricsExposeRequestCountsAndLatencyHistograms() {
    NODE.http().post("/v2/models/add-one/infer", addOneRequest(1, 1, 1, 1));
    String text = NODE.http().get("/metrics").bodyAsString();
    assertTrue(text.contains("coedge_inference_request_success_total{model=\"add-one\",route=\"local\",version=\"2\"}"),
        text);
    assertTrue(text.contains("coedge_inference_queue_duration_seconds_bucket"), "queue histogram");
    assertTrue(text.contains("coedge_inference_compute_duration_seconds_bucket"), "compute histogram");
    assertTrue(text.contains("coedge_inference_pending_requests{model=\"add-one\""), "pending gauge");
    assertTrue(text.contains("coedge_batch_size"), "batch size");
    NODE.http().post("/v2/models/nope/infer", addOneRequest(1, 1, 1, 1));
    assertTrue(NODE.http().get("/metrics").bodyAsString()
        .contains("coedge_inference_request_failure_total{model=\"(unknown)\",reason=\"not_found\"}"));
  }
}
