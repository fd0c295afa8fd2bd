package io.coedge.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Triton's statistics extension over real HTTP: counts follow what was actually asked of each model version. */
@Timeout(60)
class StatisticsHttpTest {

  private static JsonObject stat(HttpResponse<Buffer> r, String model, String version) {
    assertEquals(200, r.statusCode(), r.bodyAsString());
    for (Object o : r.bodyAsJsonObject().getJsonArray("model_stats")) {
      JsonObject s = (JsonObject) o;
      if (s.getString("name").equals(model) && s.getString("version").equals(version)) {
        return s;
      }
    }
    throw new AssertionError(model + "/" + version + " not in " + r.bodyAsString());
  }

  private static long count(JsonObject stat, String what) {
    return stat.getJsonObject("inference_stats").getJsonObject(what).getLong("count");
  }

  private static long ns(JsonObject stat, String what) {
    return stat.getJsonObject("inference_stats").getJsonObject(what).getLong("ns");
  }

  @Test
  void successesFailuresRowsAndBatchesAreCountedPerVersion() throws Exception {
    Gateway node = TestNodes.start(TestNodes.TEST_MODELS, Map.of());
    try (Http http = new Http(node.port())) {
      long before = System.currentTimeMillis();
      // add-one v2 (latest): 5 requests of 1 row in parallel, 1 of 3 rows, 2 that the model refuses (shape [1, 5]
      // where it takes [N, 4]; a body the decoder refuses never reaches a model and is not counted)
      List<Future<HttpResponse<Buffer>>> calls = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        calls.add(http.postAsync("/v2/models/add-one/infer", InferenceApiTest.addOneRequest(i, 2, 3, 4)));
      }
      Eventually.await(Future.all(calls));
      calls.forEach(c -> assertEquals(200, c.result().statusCode(), c.result().bodyAsString()));
      assertEquals(200, http.post("/v2/models/add-one/infer",
          InferenceApiTest.addOneRequest(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12)).statusCode());
      JsonObject bad = InferenceApiTest.addOneRequest(1, 2, 3, 4);
      bad.getJsonArray("inputs").getJsonObject(0).put("shape", new JsonArray().add(1).add(5))
          .put("data", new JsonArray().add(1).add(2).add(3).add(4).add(5));
      assertEquals(400, http.post("/v2/models/add-one/infer", bad).statusCode());
      assertEquals(400, http.post("/v2/models/add-one/infer", bad).statusCode());
      // add-one v1, pinned: one request
      assertEquals(200, http.post("/v2/models/add-one/versions/1/infer", InferenceApiTest.addOneRequest(1, 2, 3, 4))
          .statusCode());

      JsonObject v2 = stat(http.get("/v2/models/add-one/versions/2/stats"), "add-one", "2");
      assertEquals(6, count(v2, "success"));
      assertEquals(2, count(v2, "fail"));
      assertEquals(8, v2.getLong("inference_count"), "5 × 1 row + 3 rows");
      assertEquals(6, count(v2, "queue"));
      assertEquals(6, count(v2, "compute_infer"));
      assertTrue(ns(v2, "success") >= ns(v2, "compute_infer"), v2.encode());
      assertTrue(ns(v2, "compute_infer") > 0, v2.encode());
      assertTrue(v2.getLong("last_inference") >= before, v2.encode());
      long executions = v2.getLong("execution_count");
      assertTrue(executions >= 2 && executions <= 6, "6 requests in 2 to 6 batches: " + executions);
      long batchedRows = 0;
      long batchCount = 0;
      for (Object o : v2.getJsonArray("batch_stats")) {
        JsonObject b = (JsonObject) o;
        long n = b.getJsonObject("compute_infer").getLong("count");
        batchedRows += n * b.getLong("batch_size");
        batchCount += n;
      }
      assertEquals(8, batchedRows, "rows over all batch sizes: " + v2.getJsonArray("batch_stats").encode());
      assertEquals(executions, batchCount);

      JsonObject v1 = stat(http.get("/v2/models/add-one/versions/1/stats"), "add-one", "1");
      assertEquals(1, count(v1, "success"));
      assertEquals(0, count(v1, "fail"));

      HttpResponse<Buffer> model = http.get("/v2/models/add-one/stats");
      assertEquals(2, model.bodyAsJsonObject().getJsonArray("model_stats").size(), "both versions of add-one");
      HttpResponse<Buffer> all = http.get("/v2/models/stats");
      assertEquals(0, count(stat(all, "fixed-shape", "1"), "success"));
      assertEquals(6, count(stat(all, "add-one", "2"), "success"));
      assertTrue(http.get("/v2").bodyAsJsonObject().getJsonArray("extensions").contains("statistics"));
    } finally {
      TestNodes.stop(node);
    }
  }

  @Test
  void unknownModelsAndVersionsAre404WithTheNameInTheError() throws Exception {
    Gateway node = TestNodes.start(TestNodes.TEST_MODELS, Map.of());
    try (Http http = new Http(node.port())) {
      HttpResponse<Buffer> model = http.get("/v2/models/nope/stats");
      assertEquals(404, model.statusCode());
      assertTrue(model.bodyAsJsonObject().getString("error").contains("'nope'"), model.bodyAsString());
      HttpResponse<Buffer> version = http.get("/v2/models/add-one/versions/9/stats");
      assertEquals(404, version.statusCode());
      assertTrue(version.bodyAsJsonObject().getString("error").contains("'9'"), version.bodyAsString());
    } finally {
      TestNodes.stop(node);
    }
  }
}
