package io.coedge.cluster;

import java.util.List;

/** A {@link LocalNode} with fixed contents, for tests that run a view without an inference engine. */
public record FixedNode(String id, String role, String site, String url, String build, List<NodeRecord.Model> models,
    List<Artifact> artifacts) implements LocalNode {

  /** A cloud node without models. */
  public static FixedNode empty(String id) {
    return new FixedNode(id, "cloud", "test", "http://127.0.0.1:1", "test", List.of(), List.of());
  }
}
