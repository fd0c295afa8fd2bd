package io.coedge.routing;

import io.coedge.config.NodeConfig;
import io.coedge.observability.MetricName;
import io.coedge.observability.Metrics;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Multi-hop routing on this node: whether a call may be sent on (below {@link Hop#LIMIT}, to a higher
 * {@link Tier}), and, on a node between two tiers (regional), what a request sent here costs, for its node record.
 */
final class Onward {

  /** An onward figure not refreshed by a request for this long is not published (it would freeze). */
  static final long FRESH_NANOS = 2_000_000_000L;

  private record Best(double us, long atNanos) {
  }

  private final NodeConfig node;
  private final Metrics metrics;
  private final RoutingClock clock;
  private final Map<Integer, Metrics.Counter> arrivals = new ConcurrentHashMap<>();
  private final Map<String, Best> best = new ConcurrentHashMap<>();

  Onward(NodeConfig node, Metrics metrics, RoutingClock clock) {
    this.node = node;
    this.metrics = metrics;
    this.clock = clock;
  }

  /** As {@link #mayForward(Call, boolean)}, counting a forwarded arrival by its hop count. */
  boolean mayForward(Call call) {
    return mayForward(call, true);
  }

  /**
   * Whether this node may send the call on at all: below the hop limit and with a tier above its own. Loops are
   * impossible by construction: every hop climbs a tier, and the count stops a route at {@value Hop#LIMIT} hops.
   */
  boolean mayForward(Call call, boolean count) {
    if (count && call.hops() > 0) {
      arrivals.computeIfAbsent(call.hops(), h -> metrics.counter(MetricName.HOP_ARRIVALS, Integer.toString(h)))
          .increment();
    }
    return call.hops() < Hop.LIMIT && Tier.forwards(node.role());
  }

  /** The onward candidates a request for {@code model/version} was priced against here (its own links). */
  void priced(String model, String version, List<CostModel.Estimate> candidates) {
    if (candidates.isEmpty() || Tier.rank(node.role()) < 1) {
      return; // nobody sends to an edge: nothing to publish
    }
    double least = Double.POSITIVE_INFINITY;
    for (CostModel.Estimate e : candidates) {
      least = Math.min(least, e.estimateUs());
    }
    best.put(model + '\0' + version, new Best(least, clock.nanos()));
  }

  /**
   * What a request for this model version sent here costs from its arrival on a node that may forward it onward:
   * min(the local estimate, the best onward estimate a recent request here was priced with), µs; 0 when this node
   * never forwards or priced no onward candidate lately (peers then price it by its local figures alone).
   */
  double effectiveUs(String model, String version, double localUs) {
    Best b = best.get(model + '\0' + version);
    if (b == null || clock.nanos() - b.atNanos() > FRESH_NANOS || !Tier.forwards(node.role())) {
      return 0;
    }
    return localUs > 0 ? Math.min(localUs, b.us()) : b.us();
  }
}
