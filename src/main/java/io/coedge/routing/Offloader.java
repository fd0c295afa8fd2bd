package io.coedge.routing;

import io.coedge.cluster.Artifact;
import io.coedge.cluster.ClusterView;
import io.coedge.cluster.NodeEntry;
import io.coedge.cluster.VersionRecord;
import io.coedge.config.NodeConfig;
import io.coedge.inference.InferenceException;
import io.coedge.inference.ModelLoad;
import io.coedge.observability.MetricName;
import io.coedge.observability.Metrics;
import io.coedge.observability.RequestTrace;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The remote half of routing: which cloud nodes may take a request, sending it to one of a pool (power of two
 * choices), retrying another within the retry budget and the deadline, learning from every answer, and the
 * {@code cascade} re-ask of the cloud's larger model.
 */
final class Offloader {

  private static final Logger LOG = Logger.getLogger(Router.class.getName());
  /** Remote timeout for requests without any deadline. */
  static final long NO_DEADLINE_US = 10_000_000;
  /**
   * A node gets this many times its predicted response time (R = network + queue + compute) to answer before the
   * request is given up there and retried on another within its deadline: a hung node costs a fraction of the
   * deadline, not all of it.
   */
  static final double ATTEMPT_FACTOR = 4;
  /** ...but never less than this, µs (a cold or noisy prediction must not time out healthy answers). */
  static final long MIN_ATTEMPT_US = 50_000;

  private final ClusterView cluster;
  private final NodeConfig node;
  private final CostModel costs;
  private final PeerSelector selector;
  private final OffloadBudget budget;
  private final Remote remote;
  private final Metrics metrics;
  private final RoutingClock clock;
  private final PredictionErrors errors;
  private final Metrics.Histogram remoteError;
  private final Metrics.Histogram viaError;
  /** Offload counters by model, target and reason; spend by model: made once each, on first use. */
  private final Map<String, Metrics.Counter> offloads = new ConcurrentHashMap<>();
  private final Map<String, Metrics.Counter> spend = new ConcurrentHashMap<>();
  private final AtomicLong seq = new AtomicLong();
  private final Reach reach;

  Offloader(ClusterView cluster, NodeConfig node, CostModel costs, PeerSelector selector, OffloadBudget budget,
      Remote remote, Metrics metrics, RoutingClock clock, PredictionErrors errors) {
    this.cluster = cluster;
    this.node = node;
    this.costs = costs;
    this.selector = selector;
    this.budget = budget;
    this.remote = remote;
    this.metrics = metrics;
    this.clock = clock;
    this.errors = errors;
    this.remoteError = metrics.histogram(MetricName.COST_MODEL_ERROR, "remote");
    this.viaError = metrics.histogram(MetricName.COST_MODEL_ERROR, "via");
    this.reach = new Reach(cluster, node.role());
  }

  /**
   * Nodes of a higher tier than this one ({@link Tier}: never this node, never its own tier or below) holding exactly
   * these bytes, fresh, not draining, not ejected. None at once, without a look at the table, while it holds no node
   * of a higher tier at all ({@link Reach}).
   */
  List<CostModel.Estimate> candidates(String model, String version, String sha256, long bytes) {
    if (!reach.any()) {
      return List.of();
    }
    List<CostModel.Estimate> out = new ArrayList<>();
    for (NodeEntry n : cluster.candidates(model, version, sha256)) {
      if (!n.id().equals(node.id()) && Tier.above(node.role(), n.record().role())) {
        CostModel.Estimate e = costs.remote(n, model, version, bytes);
        if (e != null) {
          out.add(e);
        }
      }
    }
    return selector.eligible(out);
  }

  /**
   * Sends the request to one node of {@code pool}; on failure retries another within the retry budget and the
   * deadline, else hands the failure to {@code exhausted}.
   */
  Future<Routed> offload(Flow f, String model, String version, List<CostModel.Estimate> pool, String reason,
      String route, Function<Throwable, Future<Routed>> exhausted) {
    CostModel.Estimate e = selector.pick(pool);
    long left = f.sloUs() > 0 ? f.remainingUs(clock) : NO_DEADLINE_US;
    if (e == null || left <= 0) {
      return exhausted.apply(noAnswerInTime(f));
    }
    long keep = f.sloUs() > 0 && model.equals(f.name()) ? LocalReserve.keepUs(f.model().load(), left) : 0;
    if ("retry".equals(reason) && f.sloUs() > 0
        && left - Math.max(keep, LocalReserve.SLACK_US) < e.estimateUs()) {
      // A retry that cannot wait for its predicted answer and still leave the slack here only delays the answer
      // here (measured: a 1 ms attempt once answers falling back here had grown the reserve; a 30 ms one taking
      // all that was left when the local estimate was unknown).
      return exhausted.apply(noAnswerInTime(f));
    }
    long id = seq.incrementAndGet();
    selector.sent(e.id(), id);
    budget.offloaded(f.name(), e.price());
    offloads.computeIfAbsent(f.name() + '\0' + e.id() + '\0' + reason,
        k -> metrics.counter(MetricName.OFFLOAD, f.name(), e.id(), reason)).increment();
    if (e.price() > 0) {
      spend.computeIfAbsent(f.name(), m -> metrics.counter(MetricName.OFFLOAD_COST, m)).add(e.price());
    }
    List<CostModel.Estimate> others = selector.eligible(retryPool(f, model, pool, reason).stream()
        .filter(x -> !x.id().equals(e.id())).toList());
    long attempt = Math.min(patienceUs(f, e, others, left), Math.max(1, left - keep));
    long t0 = clock.nanos();
    Call c = f.call();
    RequestTrace.Stage span = c.trace().open("offload", c.trace().now());
    return remote.infer(e.node().record().url(), model, version, c.body(), c.contentType(), c.jsonLength(), left,
            attempt, span.traceparent(), c.hops() + 1, told(f, left, e))
        .transform(ar -> {
          span.end(c.trace().now(), ar.failed() ? ar.cause().getMessage() : null);
          selector.done(e.id(), id);
          if (ar.succeeded()) {
            return Future.succeededFuture(answered(f, model, e, ar.result(), (clock.nanos() - t0) / 1000.0, route));
          }
          RemoteFailure why = ar.cause() instanceof RemoteFailure rf ? rf : new RemoteFailure(0, ar.cause().toString());
          selector.failure(e.id(), why.penalise());
          if (why.status() == 0) {
            costs.unanswered(e, (clock.nanos() - t0) / 1000.0); // a link turned slow must not keep its old figure
          }
          if (LOG.isLoggable(Level.FINE)) {
            LOG.fine(Flow.requestId(c.request().id()) + " " + model + " on " + e.id() + " failed after " + (clock.nanos() - t0) / 1000
                + " µs (predicted " + Math.round(e.estimateUs()) + "): " + why.getMessage());
          }
          List<CostModel.Estimate> rest = others.stream().filter(x -> selector.usable(x.id())).toList();
          List<CostModel.Estimate> healthy = rest.stream().filter(x -> selector.healthy(x.id())).toList();
          rest = healthy.isEmpty() ? rest : healthy; // not back to a node that has just failed, if another will do
          if (!rest.isEmpty() && (f.sloUs() == 0 || f.remainingUs(clock) > keep) && budget.tryRetry()) {
            return offload(f, model, version, rest, "retry", route, exhausted);
          }
          return exhausted.apply(why);
        });
  }

  /**
   * Where a failed first attempt may be retried: the decision's pool, widened to every candidate of the request's
   * model (the policy may have narrowed the pool to the node that then hung; another one is better than none).
   * Retries of retries stay within the pool they were given, so no node is tried twice.
   */
  private static List<CostModel.Estimate> retryPool(Flow f, String model, List<CostModel.Estimate> pool,
      String reason) {
    if ("retry".equals(reason) || !model.equals(f.name())) {
      return pool;
    }
    List<CostModel.Estimate> wider = new ArrayList<>(pool);
    for (CostModel.Estimate c : f.situation().candidates()) {
      if (wider.stream().noneMatch(x -> x.id().equals(c.id()))) {
        wider.add(c);
      }
    }
    return wider;
  }

  /**
   * Learns from a remote answer (link, peer compute, prediction error) and relays it with the path it took. To a
   * node that forwarded it here, this node reports as its queue time all it spent beyond the compute (the onward
   * transfer included), so that node learns its own link to here, not the sum of both links.
   */
  private Routed answered(Flow f, String model, CostModel.Estimate e, RemoteAnswer a, double observed, String route) {
    Call c = f.call();
    costs.observed(e.id(), model, observed, a.queueUs(), a.computeUs(), c.body().length(), a.body().length());
    errors.add(true, e.estimateUs(), observed);
    String path = Hop.path(node.id(), a.path(), e.id());
    if (LOG.isLoggable(Level.FINE)) {
      LOG.fine(Flow.requestId(c.request().id()) + " " + model + " on " + path + " took " + Math.round(observed)
          + " µs (predicted " + Math.round(e.estimateUs()) + ": network " + Math.round(e.networkUs())
          + ", wait " + Math.round(e.waitUs()) + ", service " + Math.round(e.serviceUs()) + "; peer queue "
          + a.queueUs() + ", compute " + a.computeUs() + ")");
    }
    boolean via = Hop.hops(path) > 1;
    (via ? viaError : remoteError).record(Math.abs(e.estimateUs() - observed) / Math.max(1, observed));
    String by = a.servedBy() == null || a.servedBy().isEmpty() ? e.id() : a.servedBy();
    long queue = c.hop() ? Math.max(0, f.elapsedUs(clock) - a.computeUs()) : a.queueUs();
    String plan = (via ? "via" : "remote") + " path=" + path + " predicted-us=" + Math.round(e.estimateUs())
        + " observed-us=" + Math.round(observed);
    return new Routed(null, new Relayed(a.version(), a.body(), a.contentType(), a.headerLength(), queue,
        a.computeUs()), route, by, plan, path);
  }

  /** A low-confidence local answer goes to the cloud's larger model; if that fails, the local one stands. */
  Future<Routed> cascade(Flow f, Routed local) {
    var config = f.model().view().config();
    String target = config.cascadeTarget();
    if (local.result() == null || !f.mayOffload() || target.isEmpty()
        || !(Confidence.lowestTop(local.result()) < config.cascadeThreshold())) {
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

  /**
   * How long to wait for one node: {@value #ATTEMPT_FACTOR} × its predicted R, and never less than half of what is
   * left (a slow answer under load is not thrown away for a retry that would be slower), within [min, what is left].
   */
  static long attemptUs(double predictedUs, long leftUs) {
    double patience = Math.max(ATTEMPT_FACTOR * predictedUs, leftUs / 2.0);
    return Math.min(leftUs, Math.max(MIN_ATTEMPT_US, Math.round(patience)));
  }

  /**
   * The deadline a node is told: what is left here less the request's predicted transfer there over this node's
   * link (the first hop's transfer: that node's own choice, serve or forward, starts after it), at least 1 µs; 0
   * when the request has none.
   */
  private long told(Flow f, long leftUs, CostModel.Estimate e) {
    return f.sloUs() > 0 ? Math.max(1, leftUs - Math.round(costs.oneWayUs(e.id(), f.call().body().length()))) : 0;
  }

  /**
   * How long this attempt may take. It is cut short ({@link #attemptUs}) when the node has just failed, or when
   * something else could still answer in the time left after it: another node that is not failing now, or this
   * node's own queue (also when its estimate is stale). On the last healthy node the request waits for its answer
   * with all that is left: giving up there only turns a late answer into none (its retry would go to a node that has
   * just failed, e.g. one that hangs and is not ejected yet).
   */
  private long patienceUs(Flow f, CostModel.Estimate e, List<CostModel.Estimate> others, long left) {
    long cut = attemptUs(e.estimateUs(), left);
    // A local estimate nothing refreshed for a second is not held against answering here (Router admits such a
    // request to measure again): an idle node whose figure is its cold first run can still answer after the cut.
    ModelLoad load = f.model().load();
    boolean local = f.sloUs() > 0 && (Router.remeasure(load) || load.estimateUs() <= left - cut);
    return local || !selector.healthy(e.id()) || others.stream().anyMatch(x -> selector.healthy(x.id())) ? cut : left;
  }

  static InferenceException noAnswerInTime(Flow f) {
    return InferenceException.overloaded("model '" + f.name() + "' cannot be answered within the request's deadline"
        + " here or on a cloud node", 1);
  }
}
