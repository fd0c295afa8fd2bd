package io.coedge.routing;

import io.coedge.cluster.ClusterView;
import io.coedge.cluster.NodeEntry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps idle links measured, so the first choice of a link is informed and no figure freezes: every probe
 * interval, each usable node of a higher tier ({@link Tier}: the nodes this one may send to) that it has not sent
 * anything to for that long gets a timed
 * {@code GET /v2/health/live} (round trip), and, when its bandwidth was not measured for
 * {@value #BANDWIDTH_EVERY} intervals (or never), a timed upload of {@value #PROBE_BYTES} bytes; both feed the
 * cost model. An ejected node is idle too: its answered probe readmits it on probation (see {@link PeerState}).
 * A probe waits at least {@value #MIN_TIMEOUT_MS} ms for its answer, however short the interval (a live node on a
 * busy box, or behind a slow link carrying a bandwidth probe, answers late, not never), and a node is not probed
 * again while its last probe is unanswered, unless it is failing (its last two calls failed, as a hung node's
 * do): then each interval adds a round-trip probe, up to {@value PeerState#FAILURES_TO_EJECT} under way, so a hung
 * node is ejected about a second after it went idle, not after five one-second probes in a row.
 */
public final class Prober {

  private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(Prober.class.getName());

  /** Large enough that bandwidth, not the round trip, dominates on a fast link; small on a slow one (~10 ms). */
  static final int PROBE_BYTES = 64 * 1024;
  /** A bandwidth figure is re-measured after this many probe intervals without a large transfer. */
  static final int BANDWIDTH_EVERY = 10;
  /** The least a probe waits for its answer before it counts as unanswered. */
  static final long MIN_TIMEOUT_MS = 1_000;

  private final ClusterView cluster;
  private final Remote remote;
  private final CostModel costs;
  private final RoutingClock clock;
  private final long intervalMs;
  private final String role;
  private final PeerSelector failures;
  private final Reach reach;
  /** Probes under way, by node (a round trip, then maybe a bandwidth probe, counts as one until both are done). */
  private final Map<String, Integer> underWay = new ConcurrentHashMap<>();
  private long timer = -1;

  public Prober(ClusterView cluster, Remote remote, CostModel costs, RoutingClock clock, long intervalMs) {
    this(cluster, remote, costs, clock, intervalMs, "edge", null);
  }

  /** A prober of the links of a node of {@code role}: to each usable node of a higher tier. */
  public Prober(ClusterView cluster, Remote remote, CostModel costs, RoutingClock clock, long intervalMs,
      String role) {
    this(cluster, remote, costs, clock, intervalMs, role, null);
  }

  /** As an edge's prober; a probe that gets no answer counts as a failure at {@code failures} (see below). */
  public Prober(ClusterView cluster, Remote remote, CostModel costs, RoutingClock clock, long intervalMs,
      PeerSelector failures) {
    this(cluster, remote, costs, clock, intervalMs, "edge", failures);
  }

  /**
   * A prober of the links of a node of {@code role} (to each usable node of a higher tier); a probe that gets no
   * answer counts as a failure at {@code failures} (when not null): a node that hangs is avoided by the picks after
   * its first unanswered call and so goes idle, and its unanswered probes eject it (five in a row).
   */
  public Prober(ClusterView cluster, Remote remote, CostModel costs, RoutingClock clock, long intervalMs,
      String role, PeerSelector failures) {
    this.role = role;
    this.failures = failures;
    this.cluster = cluster;
    this.remote = remote;
    this.costs = costs;
    this.clock = clock;
    this.intervalMs = intervalMs;
    this.reach = new Reach(cluster, role);
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
    if (!reach.any()) {
      return; // no node to probe: not even a look at the table (whose read re-stamps a standalone node's record)
    }
    long now = clock.nanos();
    long interval = intervalMs * 1_000_000;
    for (NodeEntry n : cluster.nodes()) {
      if (!n.usable() || n.id().equals(cluster.nodeId()) || !Tier.above(role, n.record().role())) {
        continue;
      }
      PeerState peer = costs.peer(n.id());
      if (now - peer.lastUsedNanos() < interval) {
        continue;
      }
      long timeoutMs = Math.max(MIN_TIMEOUT_MS, intervalMs);
      int pending = underWay.getOrDefault(n.id(), 0);
      if (pending > 0) {
        if (failures != null && peer.failing(now) && pending < PeerState.FAILURES_TO_EJECT) {
          underWay.merge(n.id(), 1, Integer::sum);
          roundTrip(n, peer, timeoutMs).onComplete(x -> underWay.merge(n.id(), -1, Integer::sum));
        }
        continue;
      }
      underWay.merge(n.id(), 1, Integer::sum);
      long measured = peer.lastTransferNanos();
      boolean bandwidth = measured == 0 || now - measured >= BANDWIDTH_EVERY * interval;
      String url = n.record().url();
      // The upload is timed after the round trip is known: the cost model subtracts that from it.
      roundTrip(n, peer, timeoutMs)
          .compose(us -> bandwidth ? remote.probeTransfer(url, PROBE_BYTES, timeoutMs * 4)
              : Future.<Long>succeededFuture(null))
          .onSuccess(us -> {
            if (us != null) {
              costs.probedTransfer(n.id(), PROBE_BYTES, us);
            }
          })
          .onComplete(x -> underWay.merge(n.id(), -1, Integer::sum));
    }
  }

  /** A timed health probe of {@code n}: its answer feeds the cost model, no answer counts towards ejection. */
  private Future<Long> roundTrip(NodeEntry n, PeerState peer, long timeoutMs) {
    return remote.probe(n.record().url(), timeoutMs).onSuccess(us -> {
      costs.probed(n.id(), us);
      if (peer.probeAnswered(clock.millis())) {
        LOG.info("cloud node " + n.id() + " answers its health probe again: readmitted on probation");
      } else if (peer.answersAgain(clock.millis(), us)) {
        LOG.info("cloud node " + n.id() + " answers its health probe again: its unanswered calls no longer count");
      }
    }).onFailure(x -> {
      if (failures != null && !failures.ejected(n.id())) {
        // Counted towards ejection, without the latency penalty of a failed call: a probe slow on a busy box must
        // not steer traffic away from a node that answers its calls (any answer resets the count).
        failures.failure(n.id(), false);
      }
    });
  }
}
