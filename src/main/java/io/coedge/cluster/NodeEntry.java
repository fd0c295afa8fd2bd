package io.coedge.cluster;

/**
 * A node record as this node sees it now.
 *
 * @param ageMs how long ago the owner wrote it, by this node's clock (0 if the writer's clock is slightly ahead)
 * @param fresh {@code ageMs <= stale-after}: only fresh records count (DESIGN §7.1)
 */
public record NodeEntry(NodeRecord record, long ageMs, boolean fresh) {

  public String id() {
    return record.id();
  }

  /** Fresh and not draining: may be sent new work. */
  public boolean usable() {
    return fresh && !record.draining();
  }

  /** {@code fresh}, {@code draining} or {@code stale}, as in the node table and the metrics. */
  public String state() {
    return !fresh ? "stale" : record.draining() ? "draining" : "fresh";
  }
}
