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
import java.util.concurrent.ConcurrentHashMap;
import java.util.Set;
import java.util.HashSet;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * Drives this node towards its rollout targets, one model at a time: when the target version is not served, fetch
 * it from a peer ({@link Sources}: fresh, not draining, holding it, nearest first), verify, install, load (the
 * lifecycle swaps it in), and report each step in the rollout table. A data target is fetched, verified and
 * installed the same way, then bound to its model here, not loaded. A failed attempt is retried after
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
  private final VersionInstaller dataInstaller;
  private final Map<String, String> activeData = new ConcurrentHashMap<>();
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
      VersionInstaller installer, VersionInstaller dataInstaller, LongSupplier clock, long retryMs) {
    this.dataInstaller = dataInstaller;
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

  /** The manifest sha256 of the data bound to {@code model} here, "" when none (published in the node record). */
  public String data(String model) {
    return activeData.getOrDefault(model, "");
  }

  private boolean serving(RolloutRecord r) {
    if (r.data()) {
      return r.manifestSha256().equals(activeData.get(r.model()));
    }
    return control.index().stream().anyMatch(v -> v.ready() && v.name().equals(r.model())
        && v.version().equals(r.version()) && r.manifestSha256().equals(v.manifestSha256()));
  }

  /** Data is never loaded: once its verified copy is in {@code .data}, it is the model's bound data here. */
  private Future<Void> convergeData(RolloutRecord r) {
    return dataInstaller.installed(r.model(), r.version(), r.manifestSha256())
        .compose(have -> have ? Future.succeededFuture() : fetchAndInstall(r)).onSuccess(x -> {
          activeData.put(r.model(), r.manifestSha256());
          report(r, NodeRollout.State.SERVING, 100, "");
          LOG.info("rollout " + r.id() + ": data " + r.version() + " bound to " + r.model());
        });
  }

  private Future<Void> converge(RolloutRecord r) {
    if (r.data()) {
      return convergeData(r);
    }
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
    List<NodeEntry> peers = Sources.peers(view, r);
    if (peers.isEmpty()) {
      return Future.failedFuture(new IllegalStateException("no fresh peer holds " + r.model() + "/" + r.version()));
    }
    return fromPeer(r, peers, 0, null).compose(x -> {
      report(r, NodeRollout.State.VERIFYING, 100, "");
      return (r.data() ? dataInstaller : installer).install(r.model(), r.version(), r.manifestSha256());
    }).mapEmpty();
  }

  private Future<Void> fromPeer(RolloutRecord r, List<NodeEntry> peers, int i, Throwable last) {
    if (i == peers.size()) {
      return Future.failedFuture(last);
    }
    NodeEntry peer = peers.get(i);
    report(r, NodeRollout.State.FETCHING, 0, "");
    return fetcher.fetch(peer.record().url(), r.data() ? "/v2/cluster/data/" : "/v2/cluster/files/", r.model(),
        r.version(), r.manifestSha256(), (r.data() ? dataInstaller : installer).staging(r.model(), r.version()),
        (held, total) -> progress(r, held, total))
        .<Void>mapEmpty()
        .recover(e -> {
          if (e instanceof PeerFetcher.StagingWriteFailed) {
            return Future.failedFuture(e); // this node's disk: another peer cannot help
          }
          LOG.warning("fetching " + r.model() + "/" + r.version() + " from " + peer.id() + " failed: "
              + e.getMessage());
          return fromPeer(r, peers, i + 1, e);
        });
  }

  /** Reports fetch progress in steps of 5 % (each report is a map write). */
  private void progress(RolloutRecord r, long held, long total) {
    NodeRollout last = reported.get(r.chain());
    int pct = (int) Math.min(100, held * 100 / Math.max(1, total));
    if (last == null || last.state() != NodeRollout.State.FETCHING || pct - last.progress() >= 5) {
      report(r, NodeRollout.State.FETCHING, pct, "");
    }
  }

  private void report(RolloutRecord r, NodeRollout.State state, int progress, String reason) {
    NodeRollout last = reported.get(r.chain());
    if (last != null && last.rollout().equals(r.id()) && last.state() == state && last.progress() == progress
        && last.reason().equals(reason)) {
      return;
    }
    NodeRollout next = last != null && last.rollout().equals(r.id())
        ? last.to(state, progress, reason, clock.getAsLong())
        : new NodeRollout(view.nodeId(), r.chain(), r.id(), r.version(), state, progress, reason, clock.getAsLong());
    reported.put(r.chain(), next);
    store.report(next).onFailure(e -> LOG.fine("reporting rollout progress failed: " + e));
  }
}
