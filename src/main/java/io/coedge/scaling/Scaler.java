package io.coedge.scaling;

import io.coedge.config.ScaleConfig;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Turns each evaluation's recommendation into the desired cloud node count, with the HPA's hysteresis: a higher
 * count is taken at once (within one evaluation), a lower one is the highest recommendation of the last
 * stabilisation window (so only once every recommendation of the window was lower; the actuator removes one node
 * at a time, each draining first). Bounded by min/max nodes. While paid offloading of the excess is cheaper than the nodes
 * that would serve it for as long as the deficit is expected to last (as long again as it has lasted, and a node
 * once started lives at least the window), the count is held. Not thread-safe: one evaluator.
 */
public final class Scaler {

  /** One evaluation's outcome. {@code reason} is one word for logs and the JSON. */
  public record Decision(int desired, int current, int recommended, String reason, long at) {
  }

  private record Sample(long at, int recommended) {
  }

  private final ScaleConfig config;
  private final double offloadPricePerRequest;
  private final LongSupplier clockMs;
  private final Deque<Sample> window = new ArrayDeque<>();
  private final long startedAt;
  private long deficitSince = -1;
  private int last = -1;

  /** {@code offloadPricePerRequest}: what one request offloaded to a paid pool costs (0: no such trade-off). */
  public Scaler(ScaleConfig config, double offloadPricePerRequest, LongSupplier clockMs) {
    this.config = config;
    this.offloadPricePerRequest = offloadPricePerRequest;
    this.clockMs = clockMs;
    this.startedAt = clockMs.getAsLong();
  }

  /** The overall recommendation: the largest any model needs (nodes serve every model); held where unmeasured. */
  static int recommend(List<ModelDemand> demands) {
    int r = 0;
    for (ModelDemand d : demands) {
      r = Math.max(r, d.arrivalsPerS() > 0 && d.serviceUs() <= 0 ? d.nodes() : d.desired());
    }
    return r;
  }

  /**
   * Decides from this evaluation's demands, with {@code current} cloud nodes serving. The count compared with is
   * the last desired one (nodes asked for may still be starting, or draining).
   */
  public Decision decide(List<ModelDemand> demands, int current) {
    long now = clockMs.getAsLong();
    int rec = clamp(recommend(demands));
    window.addLast(new Sample(now, rec));
    while (window.peekFirst().at() <= now - config.stabilisationS() * 1000 && window.size() > 1) {
      window.removeFirst();
    }
    int base = last < 0 ? clamp(current) : last;
    int desired = base;
    String reason = "steady";
    if (rec > base) {
      deficitSince = deficitSince < 0 ? now : deficitSince;
      boolean cheaper = offloadCheaper(demands, rec - base, now);
      desired = cheaper ? base : rec;
      reason = cheaper ? "offload-cheaper" : "scale-out";
    } else {
      deficitSince = -1;
      int highest = window.stream().mapToInt(Sample::recommended).max().orElse(rec);
      if (rec < base) {
        boolean settled = now - startedAt >= config.stabilisationS() * 1000; // a whole window of history
        desired = settled && highest < base ? highest : base;
        reason = desired < base ? "scale-in" : "stabilising";
      }
    }
    last = desired;
    return new Decision(desired, current, rec, reason, now);
  }

  /** Paid offloading of the demand above what the current nodes serve at target, against the nodes it needs. */
  private boolean offloadCheaper(List<ModelDemand> demands, int extraNodes, long now) {
    if (offloadPricePerRequest <= 0 || config.nodePrice() <= 0) {
      return false;
    }
    double excessPerS = 0;
    for (ModelDemand d : demands) {
      excessPerS += Math.max(0, d.arrivalsPerS() - d.nodes() * d.capacityPerNode() * config.targetUtilisation());
    }
    double expectedS = Math.max(config.intervalMs() / 1000.0, (now - deficitSince) / 1000.0);
    double offloadCost = excessPerS * expectedS * offloadPricePerRequest;
    double nodeCost = extraNodes * config.nodePrice() * Math.max(expectedS, config.stabilisationS()) / 3600;
    return offloadCost < nodeCost;
  }

  private int clamp(int n) {
    return Math.max(config.minNodes(), Math.min(config.maxNodes(), n));
  }
}
