package io.coedge.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coedge.RunningNode;
import io.coedge.TestNodes;
import io.coedge.observability.Scrape;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The local estimate that deadline admission trusts is within 15 % of the latency measured for the same requests
 * (the median of (predicted − observed) / observed over a few hundred answers, as the cost-model error metric
 * records them), at low load (one client) and under load (closed-loop clients at twice the workers), for a ~10 µs
 * model, where the path around the model is most of the latency, and a ~1 ms one. A ratio of two figures measured
 * side by side, so it holds on a busy machine too: both move together (within one of three windows).
 */
@Timeout(180)
class EstimatorAccuracyTest {

  @RegisterExtension
  static final RunningNode NODE = new RunningNode(TestNodes.SHIPPED_MODELS);

  static JsonObject request() {
    JsonArray data = new JsonArray();
    for (int i = 0; i < 8; i++) {
      data.add((i % 7) / 7.0);
    }
    return new JsonObject().put("inputs", new JsonArray().add(new JsonObject().put("name", "features")
        .put("shape", new JsonArray().add(1).add(8)).put("datatype", "FP32").put("data", data)));
  }

  /** One closed-loop client: the next request when the previous answered, {@code left} in all. */
  static Future<Void> client(String path, int left) {
    if (left == 0) {
      return Future.succeededFuture();
    }
    return NODE.http().postAsync(path, request()).compose(r -> r.statusCode() == 200 ? client(path, left - 1)
        : Future.failedFuture("status " + r.statusCode() + ": " + r.bodyAsString()));
  }

  static void run(String path, int clients, int each) throws Exception {
    List<Future<Void>> all = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      all.add(client(path, each));
    }
    Future.all(all).toCompletionStage().toCompletableFuture().get();
  }

  static Scrape metrics() {
    return Scrape.parse(NODE.http().get("/metrics").bodyAsString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"sensor-anomaly", "sensor-anomaly-large"})
  void theLocalEstimateIsWithinFifteenPercentOfWhatWasMeasured(String model) throws Exception {
    PredictionErrors errors = NODE.gateway().router().predictionErrors();
    String path = "/v2/models/" + model + "/infer";
    run(path, 1, 64); // first answers: the estimate learns its path cost
    int workers = NODE.gateway().config().inference().workers();
    for (int clients : new int[] {1, 2 * workers}) {
      run(path, clients, 200 / clients); // the estimate learns this load's factor first, as it would in service
      // Up to three windows: a CPU hog's scheduling can skew one window by a few points (20 % once, beside the
      // suite); an estimator that is off stays off in all three.
      List<Long> seen = new ArrayList<>();
      for (int window = 0; window < 3 && (seen.isEmpty() || Math.abs(seen.get(seen.size() - 1)) > 15); window++) {
        errors.reset();
        double before = metrics().sum("coedge_cost_model_error_ratio_count", Map.of("target", "local"));
        run(path, clients, 600 / clients);
        double bias = errors.bias(false);
        System.out.printf("%s, %d clients: median error %+.3f%n", model, clients, bias);
        seen.add(Math.round(bias * 100));
        double after = metrics().sum("coedge_cost_model_error_ratio_count", Map.of("target", "local"));
        assertEquals(600 / clients * clients, after - before, 0.5, "every answer is in the error metric");
      }
      assertTrue(Math.abs(seen.get(seen.size() - 1)) <= 15, model + " with " + clients + " clients: the estimate is "
          + "off at the median by (%) " + seen);
    }
  }
}
