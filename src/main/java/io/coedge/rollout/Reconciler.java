package io.coedge.rollout;

import io.coedge.cluster.ClusterView;
import io.coedge.cluster.NodeEntry;
import io.coedge.inference.ModelControl;
import io.coedge.inference.ModelVersion;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.HashSet;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * Drives this node towards its rollout targets, one model at a time: when the target version is not served, fetch
 * it from a peer (nearest first: same site, then cloud; fresh, not draining, reporting it ready), verify, install,
 * load (the lifecycle swaps it in), and report each step in the rollout table. A failed attempt is retried after
 * {@code retryMs}; a peer that gives bad bytes is skipped for the next one in the same attempt. A version that
 * fails validation here (does not load, answers NaN on warm-up) or fails {@link CanaryAnalysis} while serving is
 * refused for good: reported FAILED, which halts the rollout, and rolled back ({@link Rollback}).
 */
public final class Reconciler {

  private static final Logger LOG = Logger.getLogger(Reconciler.class.getName());

  private final Vertx vertx;
  private final RolloutStore store;
  private final ClusterView view;
  private final ModelControl control;
  private final PeerFetcher fetcher;
  private final VersionInstaller installer;
  private final LongSupplier clock;
  private final long retryMs;
  private final Map<String, NodeRollout> reported = new HashMap<>();
  private final Map<String, Long> failedAt = new HashMap<>();
  private final Map<String, String> refused = new HashMap<>();
  private final Set<String> retired = new HashSet<>();
  private final Rollback rollback;
  private boolean busy;
  private long timer = -1;

  public Reconciler(Vertx vertx, RolloutStore store, ClusterView view, ModelControl control, PeerFetcher fetcher,
      VersionInstaller installer, LongSupplier clock, long retryMs) {
    this.vertx = vertx;
    this.store = store;
    this.view = view;
    this.control = control;
    this.fetcher = fetcher;
    this.installer = installer;
    this.clock = clock;
    this.retryMs = retryMs;
    this.rollback = new Rollback(store, view, control, installer);
  }

  /** Checks the targets every {@code intervalMs}, on the caller's context. */
  public void start(long intervalMs) {
    timer = vertx.setPeriodic(intervalMs, t -> tick());
  }

  public void stop() {
    vertx.cancelTimer(timer);
  }

  /** One pass: reports models on target, starts converging the first one that is not (if idle). */
  void tick() {
    if (busy) {
      return;
    }
    long now = clock.getAsLong();
    for (RolloutPlan.Target t : store.plan().targets(view.nodeId(), view.nodes(), store.states(), now).values()) {
      RolloutRecord r = t.rollout();
      if (refused.containsKey(r.id())) {
        rollback.consider(r, refused.get(r.id())); // the FAILED report halts the rollout; retrying cannot help
        continue;
      }
      if (!retired.contains(r.id())) {
        busy = true;
        rollback.retireSuperseded(r).onComplete(ar -> {
          busy = false;
          retired.add(r.id());
        });
        return;
      }
      if (serving(r)) {
        Optional<String> halt = CanaryAnalysis.verdict(r, t.stage(), view.nodes());
        if (halt.isPresent()) {
          refuse(r, halt.get());
        } else {
          report(r, NodeRollout.State.SERVING, 100, "");
        }
        continue;
      }
      Long failed = failedAt.get(r.id());
      if (failed != null && now - failed < retryMs) {
        continue;
      }
      busy = true;
      converge(r).onComplete(ar -> {
        busy = false;
        if (ar.failed() && ar.cause() instanceof Refused) {
          refuse(r, ar.cause().getMessage());
        } else if (ar.failed()) {
          failedAt.put(r.id(), clock.getAsLong());
          LOG.warning("rollout " + r.id() + " (" + r.model() + "/" + r.version() + ") failed here: "
              + ar.cause().getMessage());
          report(r, NodeRollout.State.FAILED, 0, String.valueOf(ar.cause().getMessage()));
        } else {
          failedAt.remove(r.id());
        }
      });
      return;
    }
  }

  /** This node will not serve {@code r}: reported FAILED (which halts the rollout), then rolled back. */
  private void refuse(RolloutRecord r, String why) {
    refused.put(r.id(), String.valueOf(why));
    LOG.warning("rollout " + r.id() + " (" + r.model() + "/" + r.version() + ") refused here: " + why);
    report(r, NodeRollout.State.FAILED, 0, String.valueOf(why));
    rollback.consider(r, String.valueOf(why));
  }


  private boolean serving(RolloutRecord r) {
    return control.index().stream().anyMatch(v -> v.ready() && v.name().equals(r.model())
        && v.version().equals(r.version()) && r.manifestSha256().equals(v.manifestSha256()));
  }

  private Future<Void> converge(RolloutRecord r) {
    return installer.installed(r.model(), r.version(), r.manifestSha256())
        .compose(have -> have ? Future.succeededFuture() : fetchAndInstall(r))
        .compose(x -> {
          report(r, NodeRollout.State.LOADED, 100, "");
          return switch (control.mode()) {
            case "explicit" -> control.load(r.model(), null).<Void>mapEmpty()
                .recover(e -> Future.failedFuture(new Refused(String.valueOf(e.getMessage()))));
            case "poll" -> control.poll(); // the scanner loads it once its folder has settled
            default -> Future.<Void>failedFuture(new IllegalStateException("inference.model-control is "
                + control.mode() + ": set explicit or poll to take part in rollouts"));
          };
        })
        .compose(loaded -> {
          if (serving(r)) {
            report(r, NodeRollout.State.SERVING, 100, "");
            LOG.info("rollout " + r.id() + ": serving " + r.model() + "/" + r.version());
            return Future.<Void>succeededFuture();
          }
          if (control.mode().equals("poll")) {
            return Future.<Void>succeededFuture(); // checked again on the next tick
          }
          String why = control.index().stream().filter(v -> v.name().equals(r.model())
                  && v.version().equals(r.version()) && v.error() != null).map(ModelVersion::error)
              .findFirst().orElse("the model's version policy did not load version " + r.version());
          return Future.failedFuture(new Refused(why));
        });
  }

  /** The version was fetched and verified but did not load: not retried for this rollout. */
  private static final class Refused extends RuntimeException {
    Refused(String why) {
      super(why, null, false, false);
    }
  }

  private Future<Void> fetchAndInstall(RolloutRecord r) {
    List<NodeEntry> peers = peers(r);
    if (peers.isEmpty()) {
      return Future.failedFuture(new IllegalStateException("no fresh peer holds " + r.model() + "/" + r.version()));
    }
    return fromPeer(r, peers, 0, null).compose(x -> {
      report(r, NodeRollout.State.VERIFYING, 100, "");
      return installer.install(r.model(), r.version(), r.manifestSha256());
    }).mapEmpty();
  }

  private Future<Void> fromPeer(RolloutRecord r, List<NodeEntry> peers, int i, Throwable last) {
    if (i == peers.size()) {
      return Future.failedFuture(last);
    }
    NodeEntry peer = peers.get(i);
    report(r, NodeRollout.State.FETCHING, 0, "");
    return fetcher.fetch(peer.record().url(), r.model(), r.version(), r.manifestSha256(),
        installer.staging(r.model(), r.version()), (held, total) -> progress(r, held, total))
        .<Void>mapEmpty()
        .recover(e -> {
          LOG.warning("fetching " + r.model() + "/" + r.version() + " from " + peer.id() + " failed: "
              + e.getMessage());
          return fromPeer(r, peers, i + 1, e);
        });
  }

  /** Reports fetch progress in steps of 5 % (each report is a map write). */
  private void progress(RolloutRecord r, long held, long total) {
    NodeRollout last = reported.get(r.model());
    int pct = (int) Math.min(100, held * 100 / Math.max(1, total));
    if (last == null || last.state() != NodeRollout.State.FETCHING || pct - last.progress() >= 5) {
      report(r, NodeRollout.State.FETCHING, pct, "");
    }
  }

  /**
   * Usable peers listing the version: those serving it first, then those that hold it without serving it (a
   * publisher of a version that fails validation still has its bytes, for the canary to find that out); within
   * each, same site first, then cloud nodes, then the rest; by id. Every fetched byte is verified anyway.
   */
  List<NodeEntry> peers(RolloutRecord r) {
    String site = view.node(view.nodeId()).map(n -> n.record().site()).orElse("");
    return view.nodes().stream().filter(NodeEntry::usable).filter(n -> !n.id().equals(view.nodeId()))
        .filter(n -> n.record().models().stream().anyMatch(m -> m.name().equals(r.model())
            && m.version().equals(r.version())))
        .sorted(Comparator.comparing((NodeEntry n) -> !n.record().models().stream().anyMatch(m -> m.ready()
                && m.name().equals(r.model()) && m.version().equals(r.version())))
            .thenComparingInt((NodeEntry n) -> n.record().site().equals(site) ? 0
                : n.record().role().equals("cloud") ? 1 : 2).thenComparing(NodeEntry::id))
        .toList();
  }

  private void report(RolloutRecord r, NodeRollout.State state, int progress, String reason) {
    NodeRollout last = reported.get(r.model());
    if (last != null && last.rollout().equals(r.id()) && last.state() == state && last.progress() == progress
        && last.reason().equals(reason)) {
      return;
    }
    NodeRollout next = last != null && last.rollout().equals(r.id())
        ? last.to(state, progress, reason, clock.getAsLong())
        : new NodeRollout(view.nodeId(), r.model(), r.id(), r.version(), state, progress, reason, clock.getAsLong());
    reported.put(r.model(), next);
    store.report(next).onFailure(e -> LOG.fine("reporting rollout progress failed: " + e));
  }
}
