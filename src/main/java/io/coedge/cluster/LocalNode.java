package io.coedge.cluster;

import java.util.List;

/**
 * What this node publishes about itself. The view calls {@link #models()} and {@link #artifacts()} once per
 * publish interval on the event loop, so both must be cheap and non-blocking.
 */
public interface LocalNode {

  String id();

  /** {@code edge} or {@code cloud}. */
  String role();

  String site();

  /** The HTTP URL peers call for offloads. */
  String url();

  String build();

  /** Every model version this node knows, with its current load. */
  List<NodeRecord.Model> models();

  /** The artifacts (model and data versions) this node holds and vouches for. */
  List<Artifact> artifacts();
}
