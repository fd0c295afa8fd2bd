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
import java.util.logging.Level;
import java.util.logging.Logger;

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

  private static final Logger LOG = Logger.getLogger(Router.class.getName());

  private final InferenceEngine engine;
  private final Offloader offloader;
  private final RoutingClock clock;
  private final PlanHistory history = new PlanHistory();
  /** Per model: the label of the plan chosen last (what hysteresis holds on to). */
  private final Map<String, String> previous = new ConcurrentHashMap<>();

  SplitPlanner(InferenceEngine engine, Offloader offloader, RoutingClock clock) {
    this.engine = engine;
    this.offloader = offloader;
    this.clock = clock;
  }

  /** What the plans' answers took: {@link SplitCaller} feeds it, {@link #choose} corrects and re-probes with it. */
  PlanHistory history() {
    return history;
  }

  /** True when plans beyond local/remote exist for this request: the model declares split points. */
  static boolean applies(Flow f) {
    return f.mayOffload() && !f.model().view().config().splitPoints().isEmpty();
  }

  /**
   * Ranks the request's plans, each corrected by what its answers took ({@link PlanHistory}), and remembers the
   * choice for the model; now and then a stale plan close to the choice takes the request instead (a probe, which
   * hysteresis does not hold on to). A model whose config pins a plan is never probed.
   */
  Plan choose(Flow f) {
    long now = clock.nanos();
    List<Plan> plans = history.corrected(f.name(), plans(f), now);
    OffloadPolicy.Situation s = f.situation();
    double limit = s.sloUs() > 0 ? s.headroom() * s.sloUs() : 0;
    String fixed = f.model().view().config().splitPlan();
    Plan p = PlanRanker.choose(plans, previous.get(f.name()), limit, fixed);
    boolean pinned = !"auto".equals(fixed);
    Plan probe = pinned ? null : history.probe(f.name(),
        plans.stream().filter(q -> limit <= 0 || q.predictedUs() <= limit).toList(), p, now);
    if (probe != null) {
      if (LOG.isLoggable(Level.FINE)) {
        LOG.fine(Flow.requestId(f.call().request().id()) + " " + f.name() + ": probing stale plan " + probe
            + " instead of " + p);
      }
      return probe.asProbe();
    }
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
