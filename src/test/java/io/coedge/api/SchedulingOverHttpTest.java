package io.coedge.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coedge.Gateway;
import io.coedge.Eventually;
import io.coedge.Http;
import io.coedge.TestNodes;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Batching, exactly-once answers and fast overload answers, over real HTTP and ONNX Runtime. */
@Timeout(120)
class SchedulingOverHttpTest {

  static Gateway node;
  static Http http;

  @BeforeAll
  static void start() throws Exception {
    // no job on the event loop: overlapping requests always coalesce (inline, a fast box answered each alone)
    node = TestNodes.start(TestNodes.TEST_MODELS, Map.of("inference.workers", "1", "inference.inline-max-us", "0"));
    http = new Http(node.port());
  }

  @AfterAll
  static void stop() throws Exception {
    http.close();
    TestNodes.stop(node);
  }

  private static JsonObject request(int i) {
    JsonArray data = new JsonArray().add(i).add(i * 10).add(-i).add(i + 0.5);
    return new JsonObject().put("id", "r" + i).put("inputs", new JsonArray().add(new JsonObject().put("name", "x")
        .put("shape", new JsonArray().add(1).add(4)).put("datatype", "FP32").put("data", data)));
  }

  @Test
  void concurrentRequestsWithDifferentInputsEachGetTheirOwnAnswer() {
    int n = 400;
    List<Future<HttpResponse<Buffer>>> all = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      all.add(http.postAsync("/v2/models/add-one/versions/1/infer", request(i)));
    }
    Eventually.await(Future.join(all));
    for (int i = 0; i < n; i++) {
      HttpResponse<Buffer> r = all.get(i).result();
      assertEquals(200, r.statusCode(), r.bodyAsString());
      JsonObject body = r.bodyAsJsonObject();
      assertEquals("r" + i, body.getString("id"));
      JsonArray y = body.getJsonArray("outputs").getJsonObject(0).getJsonArray("data");
      assertEquals(new JsonArray().add(i + 1.0).add(i * 10 + 1.0).add(-i + 1.0).add(i + 1.5), y, "request " + i);
    }
    String metrics = http.get("/metrics").bodyAsString();
    double batches = metric(metrics, "coedge_batch_size_count{model=\"add-one\"}");
    double rows = metric(metrics, "coedge_batch_size_sum{model=\"add-one\"}");
    assertTrue(rows >= n, "all rows ran: " + rows);
    assertTrue(batches < rows, "requests were coalesced into batches: " + batches + " batches for " + rows + " rows");
  }

  @Test
  void requestWhoseDeadlineCannotBeMetGets503WithRetryAfterAndNeverRuns() {
    // the first batch of a session is its warm-up and is not measured; the second gives the estimate
    assertEquals(200, http.post("/v2/models/add-one/infer", request(1)).statusCode());
    assertEquals(200, http.post("/v2/models/add-one/infer", request(2)).statusCode());
    long ran = succeeded();
    JsonObject tight = request(3).put("parameters", new JsonObject().put("timeout", 1));
    HttpResponse<Buffer> r = http.post("/v2/models/add-one/infer", tight);
    assertEquals(503, r.statusCode(), r.bodyAsString());
    assertNotNull(r.getHeader("retry-after"));
    assertTrue(r.bodyAsJsonObject().getString("error").contains("deadline"), r.bodyAsString());
    assertEquals(ran, succeeded(), "a request that cannot meet its deadline is not run");
  }

  private static long succeeded() {
    return http.get("/v2/models/add-one/versions/1/stats").bodyAsJsonObject().getJsonArray("model_stats")
        .getJsonObject(0).getJsonObject("inference_stats").getJsonObject("success").getLong("count");
  }

  static double metric(String text, String prefix) {
    return text.lines().filter(l -> l.startsWith(prefix)).mapToDouble(l -> Double.parseDouble(
        l.substring(l.lastIndexOf(' ') + 1))).sum();
  }
}
