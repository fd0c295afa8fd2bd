package io.coedge.api;

import io.coedge.inference.ModelStatistics;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * One model version's statistics in the JSON of Triton's statistics extension: {@code compute_input} is building
 * the input tensors, {@code compute_infer} the session run, {@code compute_output} copying outputs out, measured
 * per batch; a request counts its batch's. No response cache: {@code cache_hit}/{@code cache_miss} are 0.
 */
final class Statistics {

  private Statistics() {
  }

  static JsonObject toJson(ModelStatistics.Snapshot s) {
    JsonObject inference = new JsonObject()
        .put("success", duration(s.success()))
        .put("fail", duration(s.fail()))
        .put("queue", duration(s.queue()))
        .put("compute_input", duration(s.compute().input()))
        .put("compute_infer", duration(s.compute().infer()))
        .put("compute_output", duration(s.compute().output()))
        .put("cache_hit", untimed(0))
        .put("cache_miss", untimed(0));
    JsonArray batches = new JsonArray();
    for (Map.Entry<Integer, ModelStatistics.Compute> b : s.batches().entrySet()) {
      ModelStatistics.Compute c = b.getValue();
      batches.add(new JsonObject().put("batch_size", b.getKey()).put("compute_input", duration(c.input()))
          .put("compute_infer", duration(c.infer())).put("compute_output", duration(c.output())));
    }
    return new JsonObject().put("name", s.model()).put("version", s.version())
        .put("last_inference", s.lastInferenceMs()).put("inference_count", s.inferenceCount())
        .put("execution_count", s.executionCount()).put("inference_stats", inference).put("batch_stats", batches);
  }

  private static JsonObject duration(ModelStatistics.Duration d) {
    return new JsonObject().put("count", d.count()).put("ns", d.ns());
  }

  /** A step Coedge does not time on its own (or does not have): its count, 0 ns. */
  private static JsonObject untimed(long count) {
    return new JsonObject().put("count", count).put("ns", 0L);
  }
}
