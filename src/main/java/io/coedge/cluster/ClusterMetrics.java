package io.coedge.cluster;

import io.coedge.observability.Metrics;
import java.util.List;

/**
 * The cluster's gauges (DESIGN §10): {@code coedge_cluster_nodes{role,state}} (state fresh, draining or
 * stale, this node included), {@code coedge_cluster_record_age_seconds} (the oldest fresh peer record: how
 * far behind this node's picture is), {@code coedge_cluster_version_conflicts} and
 * {@code coedge_cluster_rejected_records} (map entries ignored as malformed since start).
 */
public final class ClusterMetrics {

  private ClusterMetrics() {
  }

  public static void register(ClusterView view, Metrics metrics) {
    for (String role : List.of("edge", "cloud")) {
      for (String state : List.of("fresh", "draining", "stale")) {
        metrics.gauge("coedge.cluster.nodes", "Nodes in this node's table by role and state",
            () -> view.nodes().stream().filter(e -> e.record().role().equals(role) && e.state().equals(state)).count(),
            "role", role, "state", state);
      }
    }
    metrics.gauge("coedge.cluster.record.age.seconds", "Age of the oldest fresh peer record, as read here",
        () -> view.nodes().stream().filter(e -> e.fresh() && !e.id().equals(view.nodeId()))
            .mapToLong(NodeEntry::ageMs).max().orElse(0) / 1000.0);
    metrics.gauge("coedge.cluster.version.conflicts", "Artifact versions published with more than one sha256",
        () -> view.conflicts().size());
    metrics.gauge("coedge.cluster.rejected.records", "Shared-map entries ignored as malformed since start",
        view::rejectedRecords);
  }
}
