package io.coedge.routing;

import java.util.Comparator;
import java.util.List;

/**
 * Chooses among plans by predicted R (DESIGN §12): pure, no clock, no I/O. Without an objective the least R
 * wins, with hysteresis: the previous plan stays until another is lower by {@value #HYSTERESIS} of it, so estimates
 * within noise do not flap. The band is narrower than {@link OffloadPolicy}'s (0.15): plans are predicted from
 * their own recent answers ({@link PlanHistory}'s median ratio), steadier than the raw local-or-remote figures, and
 * a plan held while another is 15 % faster costs that much on every request. With an objective
 * ({@code local-first}): local while it meets it; else the least R among the plans that meet it; else the least R.
 * An unmeasured local estimate (0) keeps the request local, so that it gets measured.
 */
public final class PlanRanker {

  static final double HYSTERESIS = 0.08;

  private PlanRanker() {
  }

  /**
   * @param plans    the local plan first, then every remote and split plan with a candidate node
   * @param previous the label of the plan chosen last time for this model (null: none)
   * @param limitUs  the objective with headroom (µs); 0 = no objective
   * @param fixed    {@code auto}, or the label of the plan to take whenever it is among {@code plans} (baselines)
   */
  public static Plan choose(List<Plan> plans, String previous, double limitUs, String fixed) {
    Plan pinned = plans.stream().filter(p -> p.label().equals(fixed)).findFirst().orElse(null);
    if (pinned != null) {
      return pinned;
    }
    return choose(plans, previous, limitUs);
  }

  /** As above with no fixed plan. */
  public static Plan choose(List<Plan> plans, String previous, double limitUs) {
    Plan local = plans.get(0);
    if (local.kind() != Plan.Kind.LOCAL) {
      throw new IllegalArgumentException("the first plan must be the local one");
    }
    if (local.predictedUs() <= 0 || plans.size() == 1) {
      return local;
    }
    Plan best = plans.stream().min(Comparator.comparingDouble(Plan::predictedUs)).orElseThrow();
    if (limitUs > 0) {
      if (local.predictedUs() <= limitUs) {
        return local;
      }
      return plans.stream().filter(p -> p.predictedUs() <= limitUs)
          .min(Comparator.comparingDouble(Plan::predictedUs)).orElse(best);
    }
    Plan held = plans.stream().filter(p -> p.label().equals(previous)).findFirst().orElse(null);
    if (held != null && best.predictedUs() * (1 + HYSTERESIS) >= held.predictedUs()) {
      return held;
    }
    return best;
  }
}
