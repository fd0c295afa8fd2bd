package io.coedge.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coedge.RunningNode;
import io.coedge.TestNodes;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;

/**
 * A real node's {@code /metrics} over HTTP carries every metric of DESIGN §10 with its documented labels. The
 * offload metrics need a second node; {@code MutualTlsOffloadIT} checks them on a real offload.
 */
@Timeout(60)
class MetricsEndpointTest {

  /** DESIGN §10 and README, written out here (sample name -> label keys) rather than read from MetricName. */
  static final Map<String, Set<String>> DOCUMENTED = Map.ofEntries(
      Map.entry("coedge_inference_request_success_total", keys("model", "version", "route")),
      Map.entry("coedge_inference_request_failure_total", keys("model", "reason")),
      Map.entry("coedge_inference_queue_duration_seconds_bucket", keys("model", "version", "le")),
      Map.entry("coedge_inference_compute_duration_seconds_bucket", keys("model", "version", "le")),
      Map.entry("coedge_inference_pending_requests", keys("model", "version")),
      Map.entry("coedge_batch_size_bucket", keys("model", "le")),
      Map.entry("coedge_cost_model_error_ratio", keys("target", "quantile")),
      Map.entry("coedge_cluster_nodes", keys("role", "state")),
      Map.entry("coedge_cluster_record_age_seconds", keys()),
      Map.entry("coedge_cluster_version_conflicts", keys()),
      Map.entry("coedge_cluster_rejected_records", keys()),
      Map.entry("coedge_model_loads_total", keys("model", "result")),
      Map.entry("coedge_model_state", keys("model", "version", "state")),
      Map.entry("coedge_auth_refusals_total", keys("status", "reason")),
      Map.entry("coedge_grpc_open_streams", keys()),
      Map.entry("coedge_file_rejected", keys("file")));


  static Set<String> keys(String... k) {
    return new TreeSet<>(Arrays.asList(k));
  }

  @RegisterExtension
  static final RunningNode NODE = new RunningNode(TestNodes.TEST_MODELS);

  private static JsonObject addOne() {
    return new JsonObject().put("inputs", new JsonArray().add(new JsonObject().put("name", "x")
        .put("shape", new JsonArray().add(1).add(4)).put("datatype", "FP32")
        .put("data", new JsonArray().add(1).add(2).add(3).add(4))));
  }

  @Test
  void everyDocumentedMetricIsScrapedWithItsLabels() {
    for (int i = 0; i < 5; i++) {
      assertEquals(200, NODE.http().post("/v2/models/add-one/infer", addOne()).statusCode());
    }
    assertEquals(404, NODE.http().post("/v2/models/nope/infer", addOne()).statusCode());
    Scrape s = Scrape.parse(NODE.http().get("/metrics").bodyAsString());
    for (Map.Entry<String, Set<String>> e : DOCUMENTED.entrySet()) {
      assertEquals(Set.of(e.getValue()), s.labelKeys(e.getKey()), e.getKey());
    }
    assertEquals(5, s.sum("coedge_inference_request_success_total",
        Map.of("model", "add-one", "route", "local")));
    assertEquals(1, s.sum("coedge_inference_request_failure_total", Map.of("model", "(unknown)", "reason", "not_found")));
    double errors = s.sum("coedge_cost_model_error_ratio_count", Map.of("target", "local"));
    assertTrue(errors > 0 && errors <= 5, "a prediction error per local request that had a prediction: " + errors);
    assertEquals(1, s.sum("coedge_cluster_nodes", Map.of("role", "edge", "state", "fresh")), "this node alone");
    assertEquals(0, s.sum("coedge_auth_refusals_total", Map.of()), "no refusals, counters registered at start");
    assertEquals(2, s.sum("coedge_model_loads_total", Map.of("model", "add-one", "result", "success")),
        "add-one's two versions loaded once each");
    assertEquals(1, s.sum("coedge_model_state", Map.of("model", "add-one", "version", "1", "state", "READY")));
    assertEquals(0, s.sum("coedge_model_state", Map.of("model", "add-one", "version", "1", "state", "FAILED")));
  }

  @Test
  void metricNameHoldsEveryDocumentedNameAndNoOther() {
    Set<String> fromTable = Arrays.stream(MetricName.values()).map(MetricName::prometheusName)
        .collect(Collectors.toCollection(TreeSet::new));
    Set<String> documented = DOCUMENTED.keySet().stream().map(n -> n.replaceAll("_bucket$", ""))
        .collect(Collectors.toCollection(TreeSet::new));
    // Not on a standalone node's scrape: offloads need a second node (MutualTlsOffloadIT), the scaler's metrics a
    // cloud leader or an actuator run (ScaleRoutesTest, CommandActuatorTest), hop arrivals a forwarding node
    // (ThreeTierIT), the map sizes Hazelcast (DiskFullIT).
    documented.addAll(Set.of("coedge_offload_total", "coedge_offload_cost_total", "coedge_scale_desired_nodes",
        "coedge_scale_actuations_total", "coedge_hop_arrivals_total", "coedge_cluster_map_entries"));
    assertEquals(documented, fromTable);
  }
}
