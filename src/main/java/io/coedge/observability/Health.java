package io.coedge.observability;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/** Readiness checks that parts register (models loaded, cluster joined); the node is ready when all pass. */
public final class Health {

  private final Map<String, BooleanSupplier> checks = new ConcurrentHashMap<>();

  public void register(String name, BooleanSupplier check) {
    checks.put(name, check);
  }

  /** Each check's current answer, by name. */
  public Map<String, Boolean> evaluate() {
    Map<String, Boolean> out = new LinkedHashMap<>();
    checks.entrySet().stream().sorted(Map.Entry.comparingByKey())
        .forEach(e -> out.put(e.getKey(), e.getValue().getAsBoolean()));
    return out;
  }

  public boolean ready() {
    return checks.values().stream().allMatch(BooleanSupplier::getAsBoolean);
  }
}
