package io.coedge.routing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The pure offload decision of DESIGN §6.2: given the policy (already narrowed by the request), the local
 * estimate, the scored cloud candidates and the guards, where should the request go first? No clock, no
 * I/O; the router supplies the figures.
 */
public final class OffloadPolicy {

  /** Candidates within this factor of the best objective are equally good: P2C spreads load over them. */
  static final double NEAR_BEST = 1.25;
  /**
   * Without an objective, {@code local-first} moves to the other side only when its predicted R is lower by this
   * fraction, and stays there until the first side is lower by as much: estimates within noise do not flap.
   */
  static final double HYSTERESIS = 0.15;
  /** Prices within this of the cheapest count as the cheapest tier. */
  static final double PRICE_EPSILON = 1e-9;

  /**
   * What the decision needs to know.
   *
   * @param policy       the model's policy narrowed by the request's {@code offload} parameter
   * @param mayOffload   false for hop-limited requests, cloud nodes, an exhausted budget
   * @param sloUs        the latency objective (request timeout or the model's); 0 = none
   * @param headroom     a prediction meets the objective when ≤ headroom · slo
   * @param localUs      E[T_local]
   * @param localQueued  requests waiting in the local queue (for the static-threshold baseline)
   * @param staticThreshold offload when localQueued exceeds it; 0 = off
   * @param lambda       µs per unit of money, for cost-optimal
   * @param candidates   eligible cloud nodes with their predictions
   * @param offloading   the previous no-objective {@code local-first} choice for this model was the cloud
   *                     (the side hysteresis holds on to)
   */
  public record Situation(Policy policy, boolean mayOffload, long sloUs, double headroom, double localUs,
      int localQueued, int staticThreshold, double lambda, List<CostModel.Estimate> candidates,
      boolean offloading) {
  }

  private OffloadPolicy() {
  }

  /** Where the request goes first. Overload of the local queue is handled later by {@link #onNoPermit}. */
  public static Decision decide(Situation s) {
    if (!s.mayOffload() || s.policy() == Policy.EDGE_ONLY || s.candidates().isEmpty()) {
      return Decision.local(!s.mayOffload() ? "not-allowed" : s.policy() == Policy.EDGE_ONLY ? "edge-only"
          : "no-candidate");
    }
    if (s.staticThreshold() > 0) {
      return s.localQueued() > s.staticThreshold() ? Decision.remote(s.candidates(), "static-threshold")
          : Decision.local("static-threshold");
    }
    double limit = s.sloUs() > 0 ? s.headroom() * s.sloUs() : Double.POSITIVE_INFINITY;
    List<CostModel.Estimate> meeting = s.candidates().stream().filter(e -> e.estimateUs() <= limit).toList();
    return switch (s.policy()) {
      case CLOUD_FIRST -> meeting.isEmpty() ? Decision.local("no-cloud-meets-slo")
          : Decision.remote(cheapestTier(meeting), "cloud-first");
      case COST_OPTIMAL -> costOptimal(s, limit);
      default -> localFirst(s, limit, meeting);
    };
  }

  private static Decision localFirst(Situation s, double limit, List<CostModel.Estimate> meeting) {
    if (s.sloUs() == 0 && s.policy() == Policy.LOCAL_FIRST) {
      return leastR(s);
    }
    if (s.localUs() <= limit) {
      return Decision.local("local-meets-slo");
    }
    if (!meeting.isEmpty()) {
      return Decision.remote(cheapestTier(meeting), "slo");
    }
    CostModel.Estimate fastest = s.candidates().stream()
        .min(Comparator.comparingDouble(CostModel.Estimate::estimateUs)).orElseThrow();
    if (fastest.estimateUs() < s.localUs()) {
      return Decision.remote(near(s.candidates(), fastest.estimateUs(), CostModel.Estimate::estimateUs), "fastest");
    }
    return Decision.local("local-fastest");
  }

  /**
   * No objective: where the predicted R = queue + compute + transfer is clearly lowest, with hysteresis. An
   * unknown local estimate (no batch measured yet) keeps the request local, so it gets measured.
   */
  private static Decision leastR(Situation s) {
    CostModel.Estimate fastest = s.candidates().stream()
        .min(Comparator.comparingDouble(CostModel.Estimate::estimateUs)).orElseThrow();
    double remote = fastest.estimateUs();
    boolean cloud = s.localUs() > 0 && (s.offloading() ? remote <= s.localUs() * (1 + HYSTERESIS)
        : remote * (1 + HYSTERESIS) < s.localUs());
    return cloud ? Decision.remote(near(s.candidates(), remote, CostModel.Estimate::estimateUs), "least-r")
        : Decision.local("least-r");
  }

  private static Decision costOptimal(Situation s, double limit) {
    boolean localFeasible = s.localUs() <= limit;
    List<CostModel.Estimate> feasible = s.candidates().stream().filter(e -> e.estimateUs() <= limit).toList();
    if (!localFeasible && feasible.isEmpty()) {
      return localFirst(s, limit, feasible); // nobody meets it: the fastest
    }
    double localObjective = localFeasible ? s.localUs() : Double.POSITIVE_INFINITY;
    double best = feasible.stream().mapToDouble(e -> objective(e, s.lambda())).min().orElse(Double.POSITIVE_INFINITY);
    if (localObjective <= best) {
      return Decision.local("cost-optimal");
    }
    return Decision.remote(near(feasible, best, e -> objective(e, s.lambda())), "cost-optimal");
  }

  private static double objective(CostModel.Estimate e, double lambda) {
    return e.estimateUs() + lambda * e.price();
  }

  /**
   * After local admission said no (queue full or deadline out of reach): the candidates that can still
   * answer within {@code remainingUs} (all of them when there is no deadline); empty means answer 503.
   */
  public static Decision onNoPermit(Situation s, long remainingUs) {
    if (!s.mayOffload() || s.policy() == Policy.EDGE_ONLY) {
      return Decision.local(s.policy() == Policy.EDGE_ONLY ? "edge-only" : "not-allowed");
    }
    double limit = remainingUs > 0 ? remainingUs : Double.POSITIVE_INFINITY;
    List<CostModel.Estimate> able = s.candidates().stream().filter(e -> e.estimateUs() <= limit).toList();
    return able.isEmpty() ? Decision.local("no-candidate-in-time") : Decision.remote(cheapestTier(able), "no-permit");
  }

  private static List<CostModel.Estimate> cheapestTier(List<CostModel.Estimate> c) {
    double min = c.stream().mapToDouble(CostModel.Estimate::price).min().orElse(0);
    return c.stream().filter(e -> e.price() <= min + PRICE_EPSILON).toList();
  }

  static List<CostModel.Estimate> near(List<CostModel.Estimate> c, double best,
      java.util.function.ToDoubleFunction<CostModel.Estimate> f) {
    List<CostModel.Estimate> out = new ArrayList<>();
    for (CostModel.Estimate e : c) {
      if (f.applyAsDouble(e) <= best * NEAR_BEST) {
        out.add(e);
      }
    }
    return out;
  }
}
