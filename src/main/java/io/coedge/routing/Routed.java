package io.coedge.routing;

import io.coedge.inference.InferResult;

/**
 * An answer and how it was obtained, for the {@code coedge-*} headers: either a local {@code result}
 * (encoded by the codec) or a {@code relayed} remote answer (sent back byte for byte); exactly one is set.
 */
public record Routed(InferResult result, Relayed relayed, String route, String servedBy) {

  public Routed {
    if ((result == null) == (relayed == null)) {
      throw new IllegalArgumentException("a routed answer is either local or relayed");
    }
  }

  public Routed(InferResult result, String route, String servedBy) {
    this(result, null, route, servedBy);
  }
}
