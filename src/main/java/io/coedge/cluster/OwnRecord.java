package io.coedge.cluster;

import java.util.function.LongSupplier;

/**
 * This node's own record as both views build it: what {@link LocalNode} says now, the draining flag and a
 * sequence number that grows with each record built. Thread-safe.
 */
final class OwnRecord {

  private final String nodeId;
  private final LongSupplier clock;
  private volatile LocalNode self;
  private volatile boolean draining;
  private long seq; // guarded by this

  OwnRecord(String nodeId, LongSupplier clock) {
    this.nodeId = nodeId;
    this.clock = clock;
  }

  void start(LocalNode node) {
    self = node;
  }

  boolean started() {
    return self != null;
  }

  LocalNode self() {
    return self;
  }

  void drain() {
    draining = true;
  }

  boolean draining() {
    return draining;
  }

  /** A new record stamped now; {@code member} is the Hazelcast member UUID ("" without one). */
  synchronized NodeRecord build(String member) {
    LocalNode n = self;
    return new NodeRecord(nodeId, member, n.role(), n.site(), n.url(), n.build(), draining, ++seq,
        clock.getAsLong(), n.models());
  }
}
