package io.coedge.rollout;

import io.coedge.cluster.ClusterView;
import io.coedge.cluster.NodeEntry;
import java.util.Comparator;
import java.util.List;

/** Where a node fetches a rollout's files from: the peers that hold them, nearest first. */
final class Sources {

  private Sources() {
  }

  /**
   * Usable peers listing the version: those serving it first, then those that hold it without serving it (a
   * publisher of a version that fails validation still has its bytes, for the canary to find that out); within
   * each, same site first, then cloud nodes, then the rest; by id. For data, the peers publishing that data bound
   * to the model. Every fetched byte is verified anyway.
   */
  static List<NodeEntry> peers(ClusterView view, RolloutRecord r) {
    String site = view.node(view.nodeId()).map(n -> n.record().site()).orElse("");
    return view.nodes().stream().filter(NodeEntry::usable).filter(n -> !n.id().equals(view.nodeId()))
        .filter(n -> n.record().models().stream().anyMatch(m -> m.name().equals(r.model())
            && (r.data() ? m.data().equals(r.manifestSha256()) : m.version().equals(r.version()))))
        .sorted(Comparator.comparing((NodeEntry n) -> !n.record().models().stream().anyMatch(m -> m.ready()
                && m.name().equals(r.model()) && m.version().equals(r.version())))
            .thenComparingInt((NodeEntry n) -> n.record().site().equals(site) ? 0
                : n.record().role().equals("cloud") ? 1 : 2).thenComparing(NodeEntry::id))
        .toList();
  }
}
