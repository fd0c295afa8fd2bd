package io.coedge.routing;

import io.coedge.api.V2Routes.Call;
import io.coedge.api.V2Routes.Relayed;
import io.coedge.api.V2Routes.Routed;
import io.coedge.cluster.Artifact;
import io.coedge.cluster.ClusterView;
import io.coedge.cluster.NodeEntry;
import io.coedge.cluster.VersionRecord;
import io.coedge.config.NodeConfig;
import io.coedge.config.OffloadConfig;
import io.coedge.inference.InferRequest;
import io.coedge.inference.InferenceEngine;
import io.coedge.inference.InferenceException;
import io.coedge.inference.ModelLoad;
import io.coedge.inference.ModelVersion;
import io.coedge.observability.Metrics;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Where each request runs (DESIGN §1, §6): decide, run locally or on a cloud node, and when a cloud node
 * fails retry another (within the retry budget) or answer locally while the deadline allows, else 503.
 * A remote failure never becomes a client error while the local node can still answer in time. In
 * {@code cascade} mode a low-confidence local answer is re-asked of the cloud's larger model.
 * Set {@code io.coedge.routing} to FINE for one log line per request explaining the decision.
 */
public final class Router {

  private static final Logger LOG = Logger.getLogger(Router.class.getName());
  /** Remote timeout for requests without any deadline. */
  static final long NO_DEADLINE_US = 10_000_000;
  private static final String ERROR_RATIO = "coedge.cost.model.error.ratio";
  private static final String ERROR_HELP = "Cost model: |predicted - observed| / observed latency";

  /** One request on its way: what was decided from, and when it arrived. */
  private record Flow(Call call, ModelVersion model, Policy policy, long startNanos, long sloUs, boolean mayOffload,
      OffloadPolicy.Situation situation) {

    String name() {
      return model.name();
    }
  }

  private final InferenceEngine engine;
  private final ClusterView cluster;
  private final NodeConfig node;
  private final OffloadConfig config;
  private final CostModel costs;
  private final PeerSelector selector;
  private final OffloadBudget budget;
  private final Remote remote;
  private final Metrics metrics;
  private final RoutingClock clock;
  private final PredictionErrors errors = new PredictionErrors();
  private final AtomicLong seq = new AtomicLong();

  public Router(InferenceEngine engine, ClusterView cluster, NodeConfig node, OffloadConfig config, CostModel costs,
      PeerSelector selector, Remote remote, Metrics metrics, RoutingClock clock) {
    this.engine = engine;
    this.cluster = cluster;
    this.node = node;
    this.config = config;
    this.costs = costs;
    this.selector = selector;
    this.budget = new OffloadBudget(config, clock);
    this.remote = remote;
    this.metrics = metrics;
    this.clock = clock;
  }

  /** Routes one infer call; fails only with an {@link InferenceException} a client can act on. */
  public Future<Routed> route(Call call) {
    Flow f;
    try {
      f = flow(call);
    } catch (InferenceException e) {
      return Future.failedFuture(e);
    }
    Decision d = f.mayOffload() ? OffloadPolicy.decide(f.situation()) : Decision.local("not-allowed");
    if (LOG.isLoggable(Level.FINE)) {
      LOG.fine(explain(f, d));
    }
    Future<Routed> first = d.remote()
        ? offload(f, f.name(), f.model().version(), d.pool(), d.reason(), "offload", err -> local(f, "fallback", true))
        : admit(f).recover(err -> onNoPermit(f, err));
    return f.policy() == Policy.CASCADE ? first.compose(r -> cascade(f, r)) : first;
  }

  private Flow flow(Call call) {
    InferRequest req = call.request();
    ModelVersion mv = engine.resolve(req.model(), req.version());
    Policy policy = Policy.of(mv.config().policy()).narrowedBy(req.offload());
    long slo = req.timeoutUs() > 0 ? req.timeoutUs() : mv.config().timeoutUs();
    budget.request(mv.name());
    boolean allowed = !call.hop() && !node.isCloud() && policy != Policy.EDGE_ONLY;
    List<CostModel.Estimate> candidates = allowed
        ? candidates(mv.name(), mv.version(), mv.sha256(), call.body().length()) : List.of();
    double cheapest = candidates.isEmpty() ? 0 : Double.POSITIVE_INFINITY;
    for (CostModel.Estimate e : candidates) {
      cheapest = Math.min(cheapest, e.price());
    }
    boolean may = allowed && budget.allows(mv.name(), cheapest);
    ModelLoad load = engine.load(mv.name(), mv.version());
    OffloadPolicy.Situation s = new OffloadPolicy.Situation(policy, may, slo, config.sloHeadroom(),
        costs.localUs(load), load.queued(), config.staticThreshold(), config.lambda(), candidates);
    return new Flow(call, mv, policy, clock.nanos(), slo, may, s);
  }

  /** Cloud nodes (never this node, never edges) holding exactly these bytes, fresh, not draining, not ejected. */
  private List<CostModel.Estimate> candidates(String model, String version, String sha256, long bytes) {
    List<CostModel.Estimate> out = new ArrayList<>();
    for (NodeEntry n : cluster.candidates(model, version, sha256)) {
      if (!n.id().equals(node.id()) && NodeConfig.CLOUD.equals(n.record().role())) {
        CostModel.Estimate e = costs.remote(n, model, version, bytes);
        if (e != null) {
          out.add(e);
        }
      }
    }
    return selector.eligible(out);
  }

  /**
   * The local "permit": a request whose local estimate does not fit the objective (with headroom) is refused
   * at once, rather than queued to miss it; the engine's own admission then refuses what still cannot fit.
   */
  private Future<Routed> admit(Flow f) {
    OffloadPolicy.Situation s = f.situation();
    if (s.sloUs() > 0 && s.localUs() > s.headroom() * s.sloUs()) {
      return Future.failedFuture(InferenceException.overloaded("model '" + f.name() + "' cannot answer within the"
          + " request's deadline of " + s.sloUs() + " µs here now (expected " + Math.round(s.localUs()) + " µs)",
          (int) Math.ceil(s.localUs() / 1e6)));
    }
    return local(f, "local", false);
  }

  /** Runs locally within what is left of the deadline ({@code fallback}: after a cloud node failed). */
  private Future<Routed> local(Flow f, String route, boolean fallback) {
    InferRequest req = f.call().request();
    if (fallback && f.sloUs() > 0) {
      long left = remainingUs(f);
      if (left <= 0) {
        return Future.failedFuture(noAnswerInTime(f));
      }
      req = req.withTimeout(left);
    }
    double predicted = f.situation().localUs();
    return engine.infer(req).map(r -> {
      double observed = elapsedUs(f);
      errors.add(false, predicted, observed);
      if (predicted > 0) {
        metrics.observe(ERROR_RATIO, ERROR_HELP, Math.abs(predicted - observed) / Math.max(1, observed), "target",
            "local");
      }
      return new Routed(r, route, node.id());
    });
  }

  /** Local admission said no: offload if the policy allows and a node can answer in time, else the 503. */
  private Future<Routed> onNoPermit(Flow f, Throwable err) {
    if (!(err instanceof InferenceException.Overloaded) || !f.mayOffload()) {
      return Future.failedFuture(err);
    }
    long left = f.sloUs() > 0 ? Math.max(1, remainingUs(f)) : 0;
    Decision d = OffloadPolicy.onNoPermit(f.situation(), left);
    if (LOG.isLoggable(Level.FINE)) {
      LOG.fine(requestId(f.call().request().id()) + " " + f.name() + ": no local permit -> " + d.target() + " (" + d.reason()
          + ")");
    }
    return d.remote() ? offload(f, f.name(), f.model().version(), d.pool(), d.reason(), "offload",
        e -> Future.failedFuture(err)) : Future.failedFuture(err);
  }

  /**
   * Sends the request to one node of {@code pool} (power of two choices); on failure retries another
   * within the retry budget and the deadline, else hands over to {@code exhausted}.
   */
  private Future<Routed> offload(Flow f, String model, String version, List<CostModel.Estimate> pool, String reason,
      String route, Function<Throwable, Future<Routed>> exhausted) {
    CostModel.Estimate e = selector.pick(pool);
    long left = f.sloUs() > 0 ? remainingUs(f) : NO_DEADLINE_US;
    if (e == null || left <= 0) {
      return exhausted.apply(noAnswerInTime(f));
    }
    long id = seq.incrementAndGet();
    selector.sent(e.id(), id);
    budget.offloaded(f.name(), e.price());
    metrics.count("coedge.offload", 1, "model", f.name(), "target", e.id(), "reason", reason);
    if (e.price() > 0) {
      metrics.count("coedge.offload.cost", e.price(), "model", f.name());
    }
    long t0 = clock.nanos();
    Call c = f.call();
    return remote.infer(e.node().record().url(), model, version, c.body(), c.contentType(), c.jsonLength(), left)
        .transform(ar -> {
          selector.done(e.id(), id);
          if (ar.succeeded()) {
            RemoteAnswer a = ar.result();
            double observed = (clock.nanos() - t0) / 1000.0;
            costs.observed(e.id(), model, observed, a.queueUs(), a.computeUs(), c.body().length(), a.body().length());
            errors.add(true, e.estimateUs(), observed);
            if (LOG.isLoggable(Level.FINE)) {
              LOG.fine(requestId(c.request().id()) + " " + model + " on " + e.id() + " took " + Math.round(observed)
                  + " µs (predicted " + Math.round(e.estimateUs()) + ": network " + Math.round(e.networkUs())
                  + ", wait " + Math.round(e.waitUs()) + ", service " + Math.round(e.serviceUs()) + "; peer queue "
                  + a.queueUs() + ", compute " + a.computeUs() + ")");
            }
            metrics.observe(ERROR_RATIO, ERROR_HELP, Math.abs(e.estimateUs() - observed) / Math.max(1, observed),
                "target", "remote");
            return Future.succeededFuture(relayed(a, route, e.id()));
          }
          RemoteFailure why = ar.cause() instanceof RemoteFailure rf ? rf : new RemoteFailure(0, ar.cause().toString());
          selector.failure(e.id(), why.penalise());
          if (LOG.isLoggable(Level.FINE)) {
            LOG.fine(requestId(c.request().id()) + " " + model + " on " + e.id() + " failed after " + (clock.nanos() - t0) / 1000
                + " µs (predicted " + Math.round(e.estimateUs()) + "): " + why.getMessage());
          }
          List<CostModel.Estimate> rest = pool.stream().filter(x -> !x.id().equals(e.id())).toList();
          rest = selector.eligible(rest);
          if (!rest.isEmpty() && (f.sloUs() == 0 || remainingUs(f) > 0) && budget.tryRetry()) {
            return offload(f, model, version, rest, "retry", route, exhausted);
          }
          return exhausted.apply(why);
        });
  }

  /** A low-confidence local answer goes to the cloud's larger model; if that fails, the local one stands. */
  private Future<Routed> cascade(Flow f, Routed local) {
    String target = f.model().config().cascadeTarget();
    if (local.result() == null || !f.mayOffload() || target.isEmpty()
        || !(Confidence.lowestTop(local.result()) < f.model().config().cascadeThreshold())) {
      return Future.succeededFuture(local);
    }
    Routed fallback = new Routed(local.result(), "fallback", node.id());
    Optional<VersionRecord> v = cluster.currentVersion(Artifact.MODEL, target);
    List<CostModel.Estimate> pool = v.map(r -> candidates(target, r.artifact().version(), r.artifact().sha256(),
        f.call().body().length())).orElse(List.of());
    if (pool.isEmpty()) {
      return Future.succeededFuture(fallback);
    }
    return offload(f, target, v.get().artifact().version(), pool, "cascade", "cascade",
        err -> Future.succeededFuture(fallback));
  }

  private static Routed relayed(RemoteAnswer a, String route, String peerId) {
    String by = a.servedBy() == null || a.servedBy().isEmpty() ? peerId : a.servedBy();
    return new Routed(null, new Relayed(a.version(), a.body(), a.contentType(), a.headerLength(), a.queueUs(),
        a.computeUs()), route, by);
  }

  private InferenceException noAnswerInTime(Flow f) {
    return InferenceException.overloaded("model '" + f.name() + "' cannot be answered within the request's deadline"
        + " here or on a cloud node", 1);
  }

  private long elapsedUs(Flow f) {
    return (clock.nanos() - f.startNanos()) / 1000;
  }

  private long remainingUs(Flow f) {
    return f.sloUs() - elapsedUs(f);
  }

  /** The request's id for log lines, {@code -} for a request without one (a line must not start with "null"). */
  private static String requestId(String id) {
    return id == null ? "-" : id;
  }

  private static String explain(Flow f, Decision d) {
    OffloadPolicy.Situation s = f.situation();
    StringBuilder b = new StringBuilder().append(requestId(f.call().request().id())).append(' ').append(f.name()).append('/')
        .append(f.model().version()).append(" policy=").append(s.policy().configName()).append(" hop=")
        .append(f.call().hop()).append(" slo=").append(s.sloUs()).append(" local=").append(Math.round(s.localUs()))
        .append(" candidates=[");
    for (CostModel.Estimate e : s.candidates()) {
      b.append(e.id()).append(':').append(Math.round(e.estimateUs())).append("us/net ")
          .append(Math.round(e.networkUs())).append("/pending ").append(e.pending()).append("/price ")
          .append(e.price()).append(' ');
    }
    return b.append("] -> ").append(d.target()).append(" (").append(d.reason()).append(')').toString();
  }

  /** The cost model's recent prediction errors. */
  public PredictionErrors predictionErrors() {
    return errors;
  }

  public CostModel costModel() {
    return costs;
  }

  public PeerSelector selector() {
    return selector;
  }
}
