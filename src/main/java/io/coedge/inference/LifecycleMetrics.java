package io.coedge.inference;

import io.coedge.observability.Metrics;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The lifecycle's metrics: {@code coedge_model_loads_total{model,result}} counts loads that ended READY (success)
 * or FAILED (failure); {@code coedge_model_state{model,version,state}} is 1 for a version's current state, else 0.
 */
public final class LifecycleMetrics {

  private LifecycleMetrics() {
  }

  /** Wires {@code control}'s state changes to {@code metrics}; also gives each new READY version a pending gauge. */
  public static void register(InferenceEngine engine, Metrics metrics) {
    ModelControl control = engine.control();
    Set<String> seen = ConcurrentHashMap.newKeySet();
    control.index().forEach(v -> gauges(control, metrics, seen, v));
    control.listen(v -> {
      gauges(control, metrics, seen, v);
      if (v.state() == ModelVersion.State.READY || v.state() == ModelVersion.State.FAILED) {
        metrics.count("coedge.model.loads", 1, "model", v.name(), "result", v.ready() ? "success" : "failure");
      }
      if (v.ready()) {
        metrics.pending(v.name(), v.version(), () -> engine.pending(v.name(), v.version()));
      }
    });
  }

  private static void gauges(ModelControl control, Metrics metrics, Set<String> seen, ModelVersion v) {
    if (!seen.add(v.name() + '/' + v.version())) {
      return;
    }
    for (ModelVersion.State s : ModelVersion.State.values()) {
      metrics.gauge("coedge.model.state", "1 for the model version's lifecycle state, else 0",
          () -> control.index().stream().anyMatch(x -> x.name().equals(v.name()) && x.version().equals(v.version())
              && x.state() == s) ? 1 : 0,
          "model", v.name(), "version", v.version(), "state", s.name());
    }
  }
}
