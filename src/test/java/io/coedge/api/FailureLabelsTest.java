package io.coedge.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coedge.RunningNode;
import io.coedge.TestNodes;
import io.coedge.observability.Scrape;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The failure counter's model label comes from the client's path: random names must not grow the registry. */
@Timeout(120)
class FailureLabelsTest {

  @RegisterExtension
  static final RunningNode NODE = new RunningNode(TestNodes.TEST_MODELS);

  @Test
  void requestsForModelsThatDoNotExistAreCountedUnderOneLabel() {
    MultiMap json = MultiMap.caseInsensitiveMultiMap().add("content-type", "application/json");
    Buffer body = Buffer.buffer("{\"inputs\":[{\"name\":\"x\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[1,2,3,4]}]}");
    int n = 300;
    for (int i = 0; i < n; i++) {
      assertEquals(404, NODE.http().post("/v2/models/random-" + i + "/infer", body, json).statusCode());
    }
    assertEquals(404, NODE.http().post("/v2/models/add-one/versions/99/infer", body, json).statusCode());
    Scrape s = Scrape.parse(NODE.http().get("/metrics").bodyAsString());
    assertEquals(1, s.samples("coedge_inference_request_failure_total").size(),
        "one series: " + s.samples("coedge_inference_request_failure_total"));
    assertEquals(n + 1, s.sum("coedge_inference_request_failure_total",
        Map.of("model", InferMetrics.UNKNOWN, "reason", "not_found")));
    assertTrue(s.samples("coedge_inference_request_failure_total").stream()
        .noneMatch(x -> x.labels().get("model").startsWith("random")));
  }
}
