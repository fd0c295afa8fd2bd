package io.coedge.routing;

import io.coedge.cluster.ClusterView;
import io.coedge.config.NodeConfig;
import io.coedge.config.OffloadConfig;
import io.coedge.inference.InferRequest;
import io.coedge.inference.InferenceEngine;
import io.coedge.inference.InferenceException;
import io.coedge.inference.ModelHandle;
import io.coedge.inference.ModelLoad;
import io.coedge.inference.Permit;
import io.coedge.observability.MetricName;
import io.coedge.observability.Metrics;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Where each request runs (DESIGN §1, §6, §12): the model version is resolved once and the request validated
 * against it before anything is decided (a bad request never leaves the box), then one decision (one local
 * estimate, one deadline) and dispatch: locally on a permit, or through the {@link Offloader}. A remote failure
 * never becomes a client error while the local node can still answer in time. Set {@code io.coedge.routing} to
 * FINE for one log line per request explaining the decision.
 */
public final class Router {

  private static final Logger LOG = Logger.getLogger(Router.class.getName());
  /**
   * A local estimate that refuses requests is re-measured: once no batch has finished for this long and nothing is
   * queued or running, one request is let through (nothing else would refresh it).
   */
  static final long REMEASURE_US = 1_000_000;

  private final InferenceEngine engine;
  private final NodeConfig node;
  private final OffloadConfig config;
  private final CostModel costs;
  private final PeerSelector selector;
  private final OffloadBudget budget;
  private final Offloader offloader;
  private final SplitPlanner planner;
  private final SplitCaller splits;
  private final Metrics.Histogram localError;
  private final Onward onward;
  private final RoutingClock clock;
  private final PredictionErrors errors = new PredictionErrors();
  /** Per model: was the last no-objective local-first choice the cloud (what hysteresis holds on to). */
  private final Map<String, Boolean> offloading = new ConcurrentHashMap<>();
  private volatile DemandListener demand = DemandListener.NONE;

  public Router(InferenceEngine engine, ClusterView cluster, NodeConfig node, OffloadConfig config, CostModel costs,
      PeerSelector selector, Remote remote, Metrics metrics, RoutingClock clock) {
    this.engine = engine;
    this.node = node;
    this.config = config;
    this.costs = costs;
    this.selector = selector;
    this.budget = new OffloadBudget(config, clock);
    this.offloader = new Offloader(cluster, node, costs, selector, budget, remote, metrics, clock, errors);
    this.planner = new SplitPlanner(engine, offloader, clock);
    this.splits = new SplitCaller(engine, node, costs, selector, remote, metrics, clock, errors, planner.history());
    this.localError = metrics.histogram(MetricName.COST_MODEL_ERROR, "local");
    this.onward = new Onward(node, metrics, clock);
    this.clock = clock;
  }

  /** Routes one infer call; fails only with an {@link InferenceException} a client can act on. */
  public Future<Routed> route(Call call) {
    long admission = call.trace().now();
    Flow f;
    try {
      f = flow(call);
    } catch (InferenceException e) {
      return Future.failedFuture(e);
    }
    demand.arrived(f.name());
    Decision d = f.mayOffload() ? OffloadPolicy.decide(f.situation()) : Decision.local("not-allowed");
    Plan plan = SplitPlanner.applies(f) ? planner.choose(f) : null; // the model declares split points: rank plans
    if (plan != null && plan.kind() != Plan.Kind.SPLIT) {
      d = plan.kind() == Plan.Kind.REMOTE ? Decision.remote(plan.pool(), "plan") : Decision.local("plan");
    }
    call.trace().stage("admission", admission, call.trace().now());
    if (f.sloUs() == 0 && f.mayOffload() && offloading.getOrDefault(f.name(), false) != d.remote()) {
      offloading.put(f.name(), d.remote()); // only a change is written: the same side again costs no map write
    }
    if (LOG.isLoggable(Level.FINE)) {
      LOG.fine(DecisionLog.explain(f, d));
    }
    Future<Routed> first = plan != null && plan.kind() == Plan.Kind.SPLIT ? splits.run(f, plan, () -> admit(f))
        : d.remote()
        ? offloader.offload(f, f.name(), f.model().view().version(), d.pool(), d.reason(), "offload",
            err -> fallback(f))
        : admit(f);
    if (plan != null) {
      first = first.map(r -> splits.explained(f, plan, r));
    }
    return f.policy() == Policy.CASCADE ? first.compose(r -> offloader.cascade(f, r)) : first;
  }

  /** Resolves the version once, validates against it (400 before any decision), then takes one snapshot. */
  private Flow flow(Call call) {
    long start = clock.nanos();
    InferRequest req = call.request();
    ModelHandle h = engine.handle(req.model(), req.version());
    int rows = h.validate(req);
    var mv = h.view();
    Policy policy = Policy.of(mv.config().policy()).narrowedBy(req.offload());
    long slo = req.timeoutUs() > 0 ? req.timeoutUs() : mv.config().timeoutUs();
    budget.request(mv.name());
    boolean allowed = onward.mayForward(call) && policy != Policy.EDGE_ONLY;
    List<CostModel.Estimate> candidates = allowed
        ? offloader.candidates(mv.name(), mv.version(), mv.sha256(), call.body().length()) : List.of();
    onward.priced(mv.name(), mv.version(), candidates);
    double cheapest = candidates.isEmpty() ? 0 : Double.POSITIVE_INFINITY;
    for (CostModel.Estimate e : candidates) {
      cheapest = Math.min(cheapest, e.price());
    }
    boolean may = allowed && budget.allows(mv.name(), cheapest);
    ModelLoad load = h.load();
    OffloadPolicy.Situation s = new OffloadPolicy.Situation(policy, may, slo, config.sloHeadroom(), load.estimateUs(),
        load.queued(), config.staticThreshold(), config.lambda(), candidates,
        offloading.getOrDefault(mv.name(), false));
    return new Flow(call, h, rows, policy, start, slo, load, s);
  }

  /**
   * The one local admission decision: a request whose local estimate does not fit the objective (with headroom)
   * gets no permit, nor does one finding the queue full; "no permit" is where offloading hooks in.
   */
  private Future<Routed> admit(Flow f) {
    OffloadPolicy.Situation s = f.situation();
    boolean fits = s.sloUs() == 0 || s.localUs() <= s.headroom() * s.sloUs() || remeasure(f.load());
    Optional<Permit> permit = fits ? engine.acquire(f.model()) : Optional.empty();
    if (permit.isPresent()) {
      return local(f, permit.get(), "local", f.load(), f.startNanos());
    }
    String m = "model '" + f.name() + "' version " + f.model().view().version();
    InferenceException no = fits
        ? InferenceException.overloaded(m + " is overloaded: its queue of " + f.model().view().config().maxQueue()
            + " is full", retryAfterS(s.localUs()))
        : InferenceException.overloaded(m + " cannot answer within the request's deadline of " + s.sloUs()
            + " µs here now (expected " + Math.round(s.localUs()) + " µs)", retryAfterS(s.localUs()));
    return onNoPermit(f, no);
  }

  /** A stale estimate with nothing running to refresh it: let this request through to measure it again. */
  static boolean remeasure(ModelLoad load) {
    return load.idle() && load.idleUs() >= REMEASURE_US;
  }

  /**
   * Runs locally on {@code permit} within what is left of the deadline; the local estimator learns the time from
   * {@code fromNanos}, when the request was admitted with {@code admitted} (after failed remote attempts: the local
   * part only, or the time spent waiting for the cloud would be taught as local latency).
   */
  private Future<Routed> local(Flow f, Permit permit, String route, ModelLoad admitted, long fromNanos) {
    long left = f.sloUs() > 0 ? Math.max(1, f.remainingUs(clock)) : 0;
    double predicted = admitted.estimateUs();
    long queued = f.call().trace().now();
    return engine.infer(permit, f.call().request(), f.rows(), left).map(r -> {
      StageSpans.local(f.call().trace(), queued, r);
      double observed = (clock.nanos() - fromNanos) / 1000.0;
      f.model().answered(admitted, observed);
      errors.add(false, predicted, observed);
      if (predicted > 0) {
        localError.record(Math.abs(predicted - observed) / Math.max(1, observed));
      }
      return new Routed(r, route, node.id());
    });
  }

  /** Every cloud node failed: answer here if the deadline still allows and there is room, else 503. */
  private Future<Routed> fallback(Flow f) {
    long from = clock.nanos();
    ModelLoad now = f.model().load();
    // As at admission, an estimate nothing refreshed for a second lets the request through to measure again.
    boolean inTime = f.sloUs() == 0 || remeasure(now) || LocalReserve.localUs(now) <= f.remainingUs(clock);
    Optional<Permit> permit = inTime ? engine.acquire(f.model()) : Optional.empty();
    return permit.isPresent() ? local(f, permit.get(), "fallback", now, from)
        : Future.failedFuture(Offloader.noAnswerInTime(f));
  }

  /** No local permit: offload if the policy allows and a node can answer in time, else the 503 {@code no}. */
  private Future<Routed> onNoPermit(Flow f, InferenceException no) {
    boolean couldLeave = onward.mayForward(f.call(), false) && f.policy() != Policy.EDGE_ONLY;
    if (!f.mayOffload()) {
      if (couldLeave) {
        demand.shed(f.name()); // the offload budget said no: demand the cloud tier did not see
      }
      return Future.failedFuture(no);
    }
    long left = f.sloUs() > 0 ? Math.max(1, f.remainingUs(clock)) : 0;
    Decision d = OffloadPolicy.onNoPermit(f.situation(), left);
    if (!d.remote() && couldLeave) {
      demand.shed(f.name()); // no cloud node could answer in time
    }
    if (LOG.isLoggable(Level.FINE)) {
      LOG.fine(Flow.requestId(f.call().request().id()) + " " + f.name() + ": no local permit -> " + d.target() + " (" + d.reason()
          + ")");
    }
    return d.remote() ? offloader.offload(f, f.name(), f.model().view().version(), d.pool(), d.reason(), "offload",
        e -> Future.failedFuture(no)) : Future.failedFuture(no);
  }

  /** What a request for this model version costs when sent here: see {@link Onward#effectiveUs}. */
  public double effectiveUs(String model, String version, double localUs) {
    return onward.effectiveUs(model, version, localUs);
  }

  private static int retryAfterS(double expectedUs) {
    return (int) Math.ceil(expectedUs / 1e6);
  }

  /** Who hears arrivals and shed requests (the elastic scaler's demand meter); set once at wiring. */
  public void listen(DemandListener listener) {
    this.demand = listener;
  }

  /** The cost model's recent prediction errors. */
  public PredictionErrors predictionErrors() {
    return errors;
  }

  public PeerSelector selector() {
    return selector;
  }
}
