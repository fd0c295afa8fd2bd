package io.coedge.routing;

import io.coedge.inference.InferenceEngine;
import io.coedge.inference.InferenceException;
import io.coedge.inference.ModelHandle;
import io.coedge.inference.SplitPoint;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The plans of one request to a model that declares split points (DESIGN §12): local (the engine's estimate),
 * remote (the whole request to the best cloud candidates, as {@link OffloadPolicy} scores them) and, per split
 * point whose head and tail this node serves, split: the head's queue + compute here (its own learnt estimate)
 * plus the tail on the best node holding the same tail bytes: link round trip + intermediate tensor at that link's
 * learnt bandwidth + the tail's queue and compute there (from its published record). {@link PlanRanker} chooses.
 */
final class SplitPlanner {

  /** The JSON header of a split request, beyond the tensor's bytes (an estimate; it is a few hundred bytes). */
  static final long HEADER_BYTES = 256;

  private final InferenceEngine engine;
  private final Offloader offloader;
  /** Per model: the label of the plan chosen last (what hysteresis holds on to). */
  private final Map<String, String> previous = new ConcurrentHashMap<>();

  SplitPlanner(InferenceEngine engine, Offloader offloader) {
    this.engine = engine;
    this.offloader = offloader;
  }

  /** True when plans beyond local/remote exist for this request: the model declares split points. */
  static boolean applies(Flow f) {
    return f.mayOffload() && !f.model().view().config().splitPoints().isEmpty();
  }

  /** Ranks the request's plans and remembers the choice for the model. */
  Plan choose(Flow f) {
    List<Plan> plans = plans(f);
    OffloadPolicy.Situation s = f.situation();
    double limit = s.sloUs() > 0 ? s.headroom() * s.sloUs() : 0;
    Plan p = PlanRanker.choose(plans, previous.get(f.name()), limit, f.model().view().config().splitPlan());
    previous.put(f.name(), p.label());
    return p;
  }

  /** Every plan with a candidate, local first. */
  List<Plan> plans(Flow f) {
    OffloadPolicy.Situation s = f.situation();
    List<Plan> out = new ArrayList<>();
    out.add(Plan.local(s.localUs()));
    s.candidates().stream().min(Comparator.comparingDouble(CostModel.Estimate::estimateUs)).ifPresent(best -> out.add(
        Plan.remote(best.estimateUs(), OffloadPolicy.near(s.candidates(), best.estimateUs(),
            CostModel.Estimate::estimateUs))));
    var mv = f.model().view();
    for (SplitPoint p : mv.config().splitPoints()) {
      ModelHandle head = part(p.part(mv.name(), true), mv.version());
      ModelHandle tail = part(p.part(mv.name(), false), mv.version());
      if (head == null || tail == null) {
        continue;
      }
      long bytes = HEADER_BYTES + f.rows() * p.bytesPerRow();
      offloader.candidates(tail.view().name(), mv.version(), tail.view().sha256(), bytes).stream()
          .min(Comparator.comparingDouble(CostModel.Estimate::estimateUs))
          .ifPresent(e -> out.add(Plan.split(p, head.load().estimateUs(), e)));
    }
    return out;
  }

  /** A ready head or tail of this version, or null. */
  private ModelHandle part(String name, String version) {
    try {
      ModelHandle h = engine.handle(name, version);
      return h.view().ready() ? h : null;
    } catch (InferenceException e) {
      return null;
    }
  }
}
