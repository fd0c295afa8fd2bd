package io.coedge.routing;

import io.coedge.inference.OffloadMode;
import java.util.Locale;

/** A model's offload policy ({@code policy} in its config.yaml), DESIGN §6.2. */
public enum Policy {
  /** Never leaves the box; overload is answered 503. */
  EDGE_ONLY,
  /** Local while the local estimate meets the objective; else the cheapest cloud node that does; else the fastest. */
  LOCAL_FIRST,
  /** Minimises E[T] + λ · price over local and cloud, subject to E[T] meeting the objective. */
  COST_OPTIMAL,
  /** Cloud while a node meets the objective; local as fallback. */
  CLOUD_FIRST,
  /** Local answer; a low-confidence one is re-asked of the cloud's larger model. */
  CASCADE;

  /** By config.yaml name ({@link #configName()}). */
  private static final java.util.Map<String, Policy> BY_NAME = java.util.Arrays.stream(values())
      .collect(java.util.stream.Collectors.toUnmodifiableMap(Policy::configName, p -> p));

  /** Parses a config.yaml name such as {@code local-first}; unknown names are rejected by ModelConfig first. */
  public static Policy of(String name) {
    Policy p = BY_NAME.get(name); // per request: a map lookup, no string building
    return p != null ? p : valueOf(name.toUpperCase(Locale.ROOT).replace('-', '_'));
  }

  /**
   * The policy after the request's {@code offload} parameter narrowed it: {@code never} keeps the request
   * local, {@code prefer} asks for the cloud first; neither widens {@code edge-only}.
   */
  public Policy narrowedBy(OffloadMode mode) {
    if (this == EDGE_ONLY || mode == null || mode == OffloadMode.AUTO) {
      return this;
    }
    return mode == OffloadMode.NEVER ? EDGE_ONLY : this == CASCADE ? CASCADE : CLOUD_FIRST;
  }

  public String configName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
