package io.coedge.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coedge.Eventually;
import io.coedge.RunningNode;
import io.coedge.TestNodes;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;

/**
 * compute_input / compute_infer / compute_output are measured (not 0), and the per-request figures are the
 * per-batch ones counted once per request: with 1-row requests, each step's request total equals the sum over
 * batch sizes of size × that size's total. Real HTTP, real ONNX Runtime.
 */
@Timeout(60)
class ComputeStatisticsTest {

  static final String[] STEPS = {"compute_input", "compute_infer", "compute_output"};
  @RegisterExtension
  static final RunningNode NODE = new RunningNode(TestNodes.TEST_MODELS);

  static JsonObject stats(String version) {
    HttpResponse<Buffer> r = NODE.http().get("/v2/models/add-one/versions/" + version + "/stats");
    assertEquals(200, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject().getJsonArray("model_stats").getJsonObject(0);
  }

  static void assertRequestAndBatchFiguresAgree(JsonObject s, int requests) {
    JsonObject perRequest = s.getJsonObject("inference_stats");
    for (String step : STEPS) {
      JsonObject total = perRequest.getJsonObject(step);
      assertEquals(requests, total.getLong("count"), step + ": " + s.encode());
      assertTrue(total.getLong("ns") > 0, step + " is measured: " + s.encode());
      long fromBatches = 0;
      for (Object o : s.getJsonArray("batch_stats")) {
        JsonObject b = (JsonObject) o;
        fromBatches += b.getLong("batch_size") * b.getJsonObject(step).getLong("ns");
      }
      assertEquals(total.getLong("ns"), fromBatches, step + ": " + s.encode());
    }
  }

  @Test
  void oneRequestPerBatchGivesEqualTotals() {
    for (int i = 0; i < 4; i++) {
      assertEquals(200, NODE.http().post("/v2/models/add-one/versions/1/infer",
          InferenceApiTest.addOneRequest(i, 1, 2, 3)).statusCode());
    }
    JsonObject s = stats("1");
    assertEquals(4, s.getLong("execution_count"), "sequential requests run one by one: " + s.encode());
    assertRequestAndBatchFiguresAgree(s, 4);
  }

  @Test
  void batchedRequestsEachCountTheirBatch() {
    List<Future<HttpResponse<Buffer>>> calls = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      calls.add(NODE.http().postAsync("/v2/models/add-one/versions/2/infer", InferenceApiTest.addOneRequest(i, 1, 2, 3)));
    }
    Eventually.await(Future.all(calls));
    calls.forEach(c -> assertEquals(200, c.result().statusCode(), c.result().bodyAsString()));
    assertRequestAndBatchFiguresAgree(stats("2"), 12);
  }
}
