package io.coedge.routing;

import io.coedge.config.NodeConfig;
import io.coedge.inference.InferRequest;
import io.coedge.inference.InferResult;
import io.coedge.inference.InferenceEngine;
import io.coedge.inference.ModelHandle;
import io.coedge.inference.Permit;
import io.coedge.inference.SplitPoint;
import io.coedge.inference.Tensor;
import io.coedge.observability.MetricName;
import io.coedge.observability.Metrics;
import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs a split plan: the head here, through the engine's queue like any model; its intermediate tensor to the
 * tail on the plan's node in the binary tensor format (as the split point declares it: FP32 or FP16); the answer
 * decoded and returned as this node's own result, so the client gets it in the form it asked for. The tail node
 * holds the same tail bytes (the plan's candidates are filtered by its sha256). A failed tail call finishes here:
 * the tail is a local model too, run while the deadline allows. The tail call is a hop like an offload: it counts
 * one more hop than the request made, tells the tail node what is left once the tensor's one-way transfer is spent
 * (nothing when the request has no deadline) and waits for the answer {@link Offloader#attemptUs} (a multiple of
 * the tail's predicted R, at least half of what is left), so a tail that never answers costs a fraction of the
 * deadline, not all of it (10 s without one), before the edge finishes the request.
 */
final class SplitCaller {

  private static final Logger LOG = Logger.getLogger(Router.class.getName());

  private final InferenceEngine engine;
  private final NodeConfig node;
  private final CostModel costs;
  private final PeerSelector selector;
  private final Remote remote;
  private final RoutingClock clock;
  private final PredictionErrors errors;
  private final Metrics.Histogram splitError;
  private final PlanHistory history;
  private final AtomicLong seq = new AtomicLong();

  SplitCaller(InferenceEngine engine, NodeConfig node, CostModel costs, PeerSelector selector, Remote remote,
      Metrics metrics, RoutingClock clock, PredictionErrors errors, PlanHistory history) {
    this.history = history;
    this.engine = engine;
    this.node = node;
    this.costs = costs;
    this.selector = selector;
    this.remote = remote;
    this.clock = clock;
    this.errors = errors;
    this.splitError = metrics.histogram(MetricName.COST_MODEL_ERROR, "split");
  }

  /** Runs split plan {@code p}; when the head gets no permit here, {@code whole} answers instead. */
  Future<Routed> run(Flow f, Plan p, Supplier<Future<Routed>> whole) {
    var mv = f.model().view();
    ModelHandle head = engine.handle(p.point().part(mv.name(), true), mv.version());
    Optional<Permit> permit = engine.acquire(head);
    if (permit.isEmpty()) {
      return whole.get();
    }
    long left = f.sloUs() > 0 ? Math.max(1, f.remainingUs(clock)) : 0;
    return engine.infer(permit.get(), part(f, head.view().name(), f.call().request().inputs(), left), f.rows(), left)
        .compose(h -> tail(f, p, intermediate(h, p.point())));
  }

  private Future<Routed> tail(Flow f, Plan p, Tensor mid) {
    CostModel.Estimate e = p.tail();
    String version = f.model().view().version();
    String name = p.point().part(f.name(), false);
    long left = f.sloUs() > 0 ? f.remainingUs(clock) : Offloader.NO_DEADLINE_US;
    if (left <= 0) {
      return Future.failedFuture(Offloader.noAnswerInTime(f));
    }
    SplitWire.Encoded w = SplitWire.request(f.call().request().id(), mid);
    long id = seq.incrementAndGet();
    selector.sent(e.id(), id);
    long t0 = clock.nanos();
    long told = f.sloUs() > 0 ? Math.max(1, left - Math.round(costs.oneWayUs(e.id(), w.body().length()))) : 0;
    return remote.infer(e.node().record().url(), name, version, w.body(), SplitWire.CONTENT_TYPE,
        Integer.toString(w.jsonLength()), left, Offloader.attemptUs(e.estimateUs(), left), null,
        f.call().hops() + 1, told).transform(ar -> {
          selector.done(e.id(), id);
          RemoteFailure why = null;
          if (ar.succeeded()) {
            RemoteAnswer a = ar.result();
            try {
              List<Tensor> outs = SplitWire.outputs(a);
              costs.observed(e.id(), name, (clock.nanos() - t0) / 1000.0, a.queueUs(), a.computeUs(),
                  w.body().length(), a.body().length());
              String by = a.servedBy() == null || a.servedBy().isEmpty() ? e.id() : a.servedBy();
              return Future.succeededFuture(new Routed(new InferResult(f.name(), version, outs, a.queueUs(),
                  a.computeUs()), p.label(), by));
            } catch (RemoteFailure bad) {
              why = bad;
            }
          } else {
            why = ar.cause() instanceof RemoteFailure rf ? rf : new RemoteFailure(0, ar.cause().toString());
          }
          selector.failure(e.id(), why.penalise());
          if (LOG.isLoggable(Level.FINE)) {
            LOG.fine(Flow.requestId(f.call().request().id()) + " " + name + " on " + e.id() + " failed: "
                + why.getMessage() + "; finishing here");
          }
          return finishHere(f, name, mid);
        });
  }

  /** The tail failed remotely: run it here if the deadline still allows and there is room, else 503. */
  private Future<Routed> finishHere(Flow f, String name, Tensor mid) {
    ModelHandle tail = engine.handle(name, f.model().view().version());
    boolean inTime = f.sloUs() == 0 || tail.load().estimateUs() <= f.remainingUs(clock);
    Optional<Permit> permit = inTime ? engine.acquire(tail) : Optional.empty();
    if (permit.isEmpty()) {
      return Future.failedFuture(Offloader.noAnswerInTime(f));
    }
    long left = f.sloUs() > 0 ? Math.max(1, f.remainingUs(clock)) : 0;
    return engine.infer(permit.get(), part(f, name, List.of(mid), left), f.rows(), left)
        .map(r -> new Routed(new InferResult(f.name(), r.version(), r.outputs(), r.queueUs(), r.computeUs()),
            "fallback", node.id()));
  }

  /** The request as a head or tail part sees it: the same id and priority, these inputs, every output. */
  private static InferRequest part(Flow f, String name, List<Tensor> inputs, long left) {
    InferRequest r = f.call().request();
    return new InferRequest(r.id(), name, f.model().view().version(), inputs, List.of(), false, r.priority(), left,
        r.offload());
  }

  private static Tensor intermediate(InferResult head, SplitPoint p) {
    return head.outputs().stream().filter(t -> t.name().equals(p.tensor())).findFirst()
        .orElseThrow(() -> new IllegalStateException("head of split point " + p.name() + " has no output '"
            + p.tensor() + "'"));
  }

  /**
   * The plan with its predicted and observed R, for the {@code coedge-plan} header and the decision log; records
   * the prediction error of split plans ({@code coedge_cost_model_error_ratio{target="split"}}).
   */
  Routed explained(Flow f, Plan p, Routed r) {
    double observed = f.elapsedUs(clock);
    if (p.kind() == Plan.Kind.SPLIT && r.route().equals(p.label())) {
      errors.add(true, p.predictedUs(), observed);
      splitError.record(Math.abs(p.predictedUs() - observed) / Math.max(1, observed));
    }
    if (r.route().equals(p.kind() == Plan.Kind.REMOTE ? "offload" : p.label())) { // not a fallback: the plan ran
      history.observed(f.name(), p.label(), p.modelUs(), observed, clock.nanos());
    }
    String text = p.label() + (p.kind() == Plan.Kind.LOCAL ? "" : " via=" + r.servedBy()) + " predicted-us="
        + Math.round(p.predictedUs()) + " observed-us=" + Math.round(observed) + (p.probe() ? " probe" : "");
    if (LOG.isLoggable(Level.FINE)) {
      LOG.fine(Flow.requestId(f.call().request().id()) + " " + f.name() + ": plan " + text + " (route " + r.route()
          + ")");
    }
    return r.withPlan(text);
  }
}
