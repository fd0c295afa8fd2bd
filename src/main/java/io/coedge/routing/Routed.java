package io.coedge.routing;

import io.coedge.inference.InferResult;

/**
 * An answer and how it was obtained, for the {@code coedge-*} headers: either a local {@code result}
 * (encoded by the codec) or a {@code relayed} remote answer (sent back byte for byte); exactly one is set.
 * {@code plan}, when the request was ranked among plans or sent to another node, says which and its predicted vs
 * observed R ({@code coedge-plan}); else null. {@code path}: the nodes the request passed, first to last
 * ({@link Hop#PATH_HEADER}); null means it ran where it was answered ({@code servedBy}).
 */
public record Routed(InferResult result, Relayed relayed, String route, String servedBy, String plan,
    String explicitPath) {

  public Routed {
    if ((result == null) == (relayed == null)) {
      throw new IllegalArgumentException("a routed answer is either local or relayed");
    }
  }

  public Routed(InferResult result, Relayed relayed, String route, String servedBy, String plan) {
    this(result, relayed, route, servedBy, plan, null);
  }

  public Routed(InferResult result, Relayed relayed, String route, String servedBy) {
    this(result, relayed, route, servedBy, null);
  }

  public Routed(InferResult result, String route, String servedBy) {
    this(result, null, route, servedBy);
  }

  /** This answer with its plan explained. */
  public Routed withPlan(String explained) {
    return new Routed(result, relayed, route, servedBy, explained, explicitPath);
  }

  /** The path for {@link Hop#PATH_HEADER}: e.g. {@code edge-1>regional-1>cloud-2}, or the serving node alone. */
  public String path() {
    return explicitPath == null ? servedBy : explicitPath;
  }
}
