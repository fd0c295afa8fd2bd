package io.coedge.routing;

import io.coedge.cluster.ClusterView;
import io.coedge.cluster.NodeEntry;
import io.vertx.core.Vertx;

/**
 * Keeps idle links measured: every probe interval, each usable cloud node this node has not sent anything to
 * for that long gets a timed {@code GET /v2/health/live}, whose round trip feeds the cost model.
 */
public final class Prober {

  private final ClusterView cluster;
  private final Remote remote;
  private final CostModel costs;
  private final RoutingClock clock;
  private final long intervalMs;
  private long timer = -1;

  public Prober(ClusterView cluster, Remote remote, CostModel costs, RoutingClock clock, long intervalMs) {
    this.cluster = cluster;
    this.remote = remote;
    this.costs = costs;
    this.clock = clock;
    this.intervalMs = intervalMs;
  }

  public void start(Vertx vertx) {
    timer = vertx.setPeriodic(intervalMs, id -> probeIdle());
  }

  public void stop(Vertx vertx) {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  void probeIdle() {
    long now = clock.nanos();
    for (NodeEntry n : cluster.nodes()) {
      if (!n.usable() || n.id().equals(cluster.nodeId()) || !"cloud".equals(n.record().role())) {
        continue;
      }
      if (now - costs.peer(n.id()).lastUsedNanos() >= intervalMs * 1_000_000) {
        remote.probe(n.record().url(), Math.max(100, intervalMs)).onSuccess(us -> costs.probed(n.id(), us));
      }
    }
  }
}
