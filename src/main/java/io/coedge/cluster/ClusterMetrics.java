package io.coedge.cluster;

import io.coedge.observability.MetricName;
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
    for (String role : List.of("edge", "regional", "cloud")) {
      for (String state : List.of("fresh", "draining", "stale")) {
        metrics.gauge(MetricName.CLUSTER_NODES,
            () -> view.nodes().stream().filter(e -> e.record().role().equals(role) && e.state().equals(state)).count(),
            role, state);
      }
    }
    metrics.gauge(MetricName.CLUSTER_RECORD_AGE, () -> view.nodes().stream()
        .filter(e -> e.fresh() && !e.id().equals(view.nodeId())).mapToLong(NodeEntry::ageMs).max().orElse(0) / 1000.0);
    metrics.gauge(MetricName.CLUSTER_VERSION_CONFLICTS, () -> view.conflicts().size());
    metrics.gauge(MetricName.CLUSTER_REJECTED_RECORDS, view::rejectedRecords);
  }
}
