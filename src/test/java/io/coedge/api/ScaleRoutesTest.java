package io.coedge.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coedge.Eventually;
import io.coedge.RunningNode;
import io.coedge.TestNodes;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ScaleRoutesTest {

  @RegisterExtension
  static final RunningNode CLOUD = new RunningNode(TestNodes.TEST_MODELS, Map.of("node.role", "cloud",
      "node.id", "cloud-1", "scale.interval-ms", "100", "scale.min-nodes", "1", "scale.max-nodes", "4"));

  @RegisterExtension
  static final RunningNode EDGE = new RunningNode(TestNodes.TEST_MODELS, Map.of("node.id", "edge-1"));

  private static JsonObject addOne() {
    return new JsonObject().put("inputs", new JsonArray().add(new JsonObject().put("name", "x")
        .put("shape", new JsonArray().add(1).add(4)).put("datatype", "FP32")
        .put("data", new JsonArray().add(1).add(2).add(3).add(4))));
  }

  @Test
  void theOldestCloudNodeDecidesAndPublishesTheDesiredCountWithEachModelsDemand() {
    for (int i = 0; i < 20; i++) {
      assertEquals(200, CLOUD.http().post("/v2/models/add-one/infer", addOne()).statusCode());
    }
    Eventually.within(20_000, "a decision that saw add-one's arrivals", () -> {
      HttpResponse<Buffer> r = CLOUD.http().get(ScaleRoutes.SCALE_PATH);
      return r.statusCode() == 200 && r.bodyAsJsonObject().getJsonArray("models").stream()
          .map(JsonObject.class::cast).anyMatch(m -> m.getString("model").equals("add-one")
              && m.getDouble("arrivalsPerS") > 0);
    });
    JsonObject d = CLOUD.http().get(ScaleRoutes.SCALE_PATH).bodyAsJsonObject();
    assertEquals("cloud-1", d.getString("leader"));
    assertEquals(1, d.getInteger("currentNodes"));
    assertEquals(1, d.getInteger("desiredNodes"), "a trickle of add-one needs no second node: " + d);
    assertEquals("none", d.getString("actuator"));
    String metrics = CLOUD.http().get("/metrics").bodyAsString();
    assertTrue(metrics.contains("coedge_scale_desired_nodes{model=\"all\",role=\"cloud\"} 1.0"), metrics);
  }

  @Test
  void withoutACloudLeaderTheSignalIs503AndADrainedNodeShowsAsDrainingInTheTable() {
    HttpResponse<Buffer> none = EDGE.http().get(ScaleRoutes.SCALE_PATH);
    assertEquals(503, none.statusCode());
    assertTrue(none.bodyAsJsonObject().getString("error").contains("no scaling decision"), none.bodyAsString());
    assertEquals("5", none.getHeader("retry-after"));

    HttpResponse<Buffer> drained = EDGE.http().post(ScaleRoutes.DRAIN_PATH, new JsonObject());
    assertEquals(200, drained.statusCode(), drained.bodyAsString());
    JsonObject self = EDGE.http().get("/v2/cluster/nodes").bodyAsJsonObject().getJsonArray("nodes").getJsonObject(0);
    assertEquals("draining", self.getString("state"));
  }
}
