package io.coedge.routing;

import io.coedge.inference.SplitPoint;
import java.util.List;

/**
 * One way to answer a request (DESIGN §12 "Plans") with its predicted R = queue + compute + transfer, µs:
 * {@code local}; {@code remote} (the whole request to one of {@code pool}); {@code split@<point>} (the head here,
 * the intermediate tensor to {@code pool}'s best node, the tail there). {@code via} is the node a remote or split
 * plan goes to first (a cloud node, or a regional node that may forward it on).
 *
 * @param headUs the head's predicted queue + compute here (split plans; 0 otherwise)
 * @param pool   the nodes a remote plan may go to (near-best, for power of two choices); a split plan's one node
 * @param modelUs the cost model's own figure, before {@link PlanHistory} corrected it by what this plan's answers
 *                took ({@code predictedUs} is the corrected one, what the plan is ranked by)
 * @param probe  taken to re-measure a stale plan, not because it ranked first ({@link PlanHistory})
 */
public record Plan(Kind kind, SplitPoint point, double predictedUs, double headUs, List<CostModel.Estimate> pool,
    double modelUs, boolean probe) {

  /** What runs where. */
  public enum Kind { LOCAL, REMOTE, SPLIT }

  public Plan {
    pool = List.copyOf(pool);
  }

  /** A plan as the cost model predicts it (not corrected). */
  public Plan(Kind kind, SplitPoint point, double predictedUs, double headUs, List<CostModel.Estimate> pool) {
    this(kind, point, predictedUs, headUs, pool, predictedUs, false);
  }

  /** This plan with its prediction multiplied by {@code ratio} (the cost model's own figure kept). */
  Plan corrected(double ratio) {
    return ratio == 1 ? this : new Plan(kind, point, modelUs * ratio, headUs, pool, modelUs, probe);
  }

  /** This plan taken as a probe. */
  Plan asProbe() {
    return new Plan(kind, point, predictedUs, headUs, pool, modelUs, true);
  }

  static Plan local(double predictedUs) {
    return new Plan(Kind.LOCAL, null, predictedUs, 0, List.of());
  }

  static Plan remote(double predictedUs, List<CostModel.Estimate> pool) {
    return new Plan(Kind.REMOTE, null, predictedUs, 0, pool);
  }

  static Plan split(SplitPoint point, double headUs, CostModel.Estimate tail) {
    return new Plan(Kind.SPLIT, point, headUs + tail.estimateUs(), headUs, List.of(tail));
  }

  /** {@code local}, {@code remote} or {@code split@<point>}: the {@code coedge-route} value and the plan's key. */
  public String label() {
    return switch (kind) {
      case LOCAL -> "local";
      case REMOTE -> "remote";
      case SPLIT -> "split@" + point.name();
    };
  }

  /** The node a split plan sends its tail to (null for other plans). */
  CostModel.Estimate tail() {
    return kind == Kind.SPLIT ? pool.get(0) : null;
  }

  @Override
  public String toString() {
    String to = kind == Kind.LOCAL ? "" : " -> " + (kind == Kind.SPLIT ? pool.get(0).id() : pool.size() + " node(s)");
    return label() + to + " " + Math.round(predictedUs) + " µs" + (probe ? " (probe)" : "");
  }
}
