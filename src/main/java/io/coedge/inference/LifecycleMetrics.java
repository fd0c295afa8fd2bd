package io.coedge.inference;

import io.coedge.observability.MetricName;
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
    // Versions that loaded (or failed to) before this wiring count as loads too.
    control.index().forEach(v -> changed(engine, metrics, seen, v));
    control.listen(v -> changed(engine, metrics, seen, v));
  }

  private static void changed(InferenceEngine engine, Metrics metrics, Set<String> seen, ModelVersion v) {
    gauges(engine.control(), metrics, seen, v);
    if (v.state() == ModelVersion.State.READY || v.state() == ModelVersion.State.FAILED) {
      metrics.counter(MetricName.MODEL_LOADS, v.name(), v.ready() ? "success" : "failure").increment();
    }
    if (v.ready()) {
      metrics.gauge(MetricName.PENDING, () -> pending(engine, v), v.name(), v.version());
    }
  }

  private static void gauges(ModelControl control, Metrics metrics, Set<String> seen, ModelVersion v) {
    if (!seen.add(v.name() + '/' + v.version())) {
      return;
    }
    for (ModelVersion.State s : ModelVersion.State.values()) {
      metrics.gauge(MetricName.MODEL_STATE, () -> control.index().stream().anyMatch(x -> x.name().equals(v.name()) && x.version().equals(v.version())
              && x.state() == s) ? 1 : 0,
          v.name(), v.version(), s.name());
    }
  }

  /** Requests queued on that version, 0 once it is no longer served. */
  private static int pending(InferenceEngine engine, ModelVersion v) {
    try {
      return engine.load(v.name(), v.version()).queued();
    } catch (InferenceException e) {
      return 0;
    }
  }
}
