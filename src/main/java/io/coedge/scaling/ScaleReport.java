package io.coedge.scaling;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The scaler's decision in its two forms: one log line with every input, and the JSON of
 * {@code GET /v2/cluster/scale}, shaped for KEDA's {@code metrics-api} scaler ({@code valueLocation:
 * desiredNodes}).
 */
final class ScaleReport {

  private ScaleReport() {
  }

  static String line(Scaler.Decision d, List<ModelDemand> demands) {
    StringBuilder b = new StringBuilder("scale decision: desired=").append(d.desired()).append(" current=")
        .append(d.current()).append(" recommended=").append(d.recommended()).append(" reason=").append(d.reason());
    for (ModelDemand m : demands) {
      b.append("; ").append(m.model()).append(": ").append(String.format("%.1f", m.arrivalsPerS()))
          .append(" req/s, service ").append(Math.round(m.serviceUs())).append(" µs x ").append(m.workers())
          .append(" workers, ").append(m.nodes()).append(" nodes, utilisation ")
          .append(String.format("%.2f", m.utilisation())).append(", objective ").append(m.objectiveUs())
          .append(" µs, predicted ").append(Double.isFinite(m.predictedUs()) ? Math.round(m.predictedUs()) : "inf")
          .append(" µs -> ").append(m.desired());
    }
    return b.toString();
  }

  static JsonObject json(String leader, String actuator, Scaler.Decision d, List<ModelDemand> demands) {
    JsonArray models = new JsonArray();
    demands.forEach(m -> models.add(m.toJson()));
    return new JsonObject().put("leader", leader).put("at", d.at()).put("actuator", actuator)
        .put("desiredNodes", d.desired()).put("currentNodes", d.current()).put("recommendedNodes", d.recommended())
        .put("reason", d.reason()).put("models", models);
  }
}
