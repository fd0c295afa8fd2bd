package io.coedge.routing;

import io.coedge.cluster.ClusterView;
import io.coedge.cluster.NodeRecord;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Whether the shared table holds any node this one may send a request to at all (another node of a higher
 * {@link Tier}, fresh or not). When it holds none, no request can leave and offload planning is skipped: a
 * standalone node, a lone cluster member, an edge among edges, a cloud node. Derived again only when the table's
 * peers change ({@link ClusterView#peers()} returns another list), not per request. Thread-safe.
 */
final class Reach {

  /** What was derived from one peer list. */
  private record Seen(List<NodeRecord> peers, boolean any) {
  }

  private final ClusterView cluster;
  private final String role;
  private volatile Seen seen = new Seen(null, false);
  private final AtomicLong derivations = new AtomicLong();

  Reach(ClusterView cluster, String role) {
    this.cluster = cluster;
    this.role = role;
  }

  /** True when some other node of a higher tier than this one's is in the table. */
  boolean any() {
    List<NodeRecord> peers = cluster.peers();
    Seen s = seen;
    if (s.peers() != peers) {
      boolean any = false;
      for (NodeRecord r : peers) {
        any |= Tier.above(role, r.role());
      }
      s = new Seen(peers, any);
      seen = s;
      derivations.incrementAndGet();
    }
    return s.any();
  }

  /** How many times {@link #any()} looked through a peer list (tests: not once per request). */
  long derivations() {
    return derivations.get();
  }
}
