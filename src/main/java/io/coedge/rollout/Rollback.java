package io.coedge.rollout;

import io.coedge.cluster.ClusterView;
import io.coedge.cluster.NodeEntry;
import io.coedge.inference.ModelControl;
import io.coedge.inference.ModelVersion;
import io.vertx.core.Future;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Rolls a halted rollout back by publishing a new record (never an overwrite) that supersedes it and names the old
 * version: the one the halted record superseded, or, for a model's first rollout, the newest other version this
 * node holds with a manifest. One node publishes it: the lowest id among the usable nodes reporting the rollout
 * failed, so a single failed canary rolls back by itself and two rarely race (if they do, the records are a
 * conflict naming the same version, and the older wins). Then every node moves the rolled-back version out of
 * its repository ({@link #retireSuperseded}), so the model's version policy serves the old one again.
 */
final class Rollback {

  private static final Logger LOG = Logger.getLogger(Rollback.class.getName());
  private final RolloutStore store;
  private final ClusterView view;
  private final ModelControl control;
  private final VersionInstaller installer;
  private final Set<String> published = new HashSet<>();

  Rollback(RolloutStore store, ClusterView view, ModelControl control, VersionInstaller installer) {
    this.store = store;
    this.view = view;
    this.control = control;
    this.installer = installer;
  }

  /** Publishes the rollback of halted {@code r} when it is still its model's head and this node is to do it. */
  void consider(RolloutRecord r, String why) {
    RolloutPlan plan = store.plan();
    if (published.contains(r.id()) || !plan.head(r.chain()).map(h -> h.id().equals(r.id())).orElse(false)) {
      return;
    }
    Optional<String> first = store.states().stream()
        .filter(s -> s.rollout().equals(r.id()) && s.state() == NodeRollout.State.FAILED)
        .map(NodeRollout::node).filter(id -> id.equals(view.nodeId())
            || view.node(id).map(NodeEntry::usable).orElse(false))
        .min(Comparator.naturalOrder());
    if (!first.map(view.nodeId()::equals).orElse(false)) {
      return;
    }
    Optional<RolloutStore.Draft> draft = draft(plan, r, RolloutRecord.reason(RolloutRecord.ROLLBACK
        + view.nodeId() + ": " + why));
    if (draft.isEmpty()) {
      LOG.warning("rollout " + r.id() + " halted (" + why + "); no earlier version of " + r.model()
          + " with a manifest is known to roll back to");
      published.add(r.id());
      return;
    }
    published.add(r.id());
    store.publish(draft.get()).onSuccess(back -> LOG.warning("rollout " + r.id() + " of " + r.model() + "/"
            + r.version() + " halted (" + why + "): rolled back to version " + back.version() + " by rollout "
            + back.id()))
        .onFailure(e -> {
          published.remove(r.id());
          LOG.warning("publishing the rollback of " + r.id() + " failed: " + e.getMessage());
        });
  }

  /** The record that puts the old version back on every node {@code r} targets. */
  Optional<RolloutStore.Draft> draft(RolloutPlan plan, RolloutRecord r, String reason) {
    List<RolloutRecord.Stage> all = List.of(RolloutRecord.Stage.all());
    Optional<RolloutRecord> before = r.supersedes().isEmpty() ? Optional.empty() : plan.record(r.supersedes());
    if (before.isPresent()) {
      RolloutRecord b = before.get();
      return Optional.of(new RolloutStore.Draft(r.model(), b.version(), b.manifestSha256(), b.target(), all,
          b.halt(), r.id(), r.kind(), reason));
    }
    if (r.data()) {
      return Optional.empty();
    }
    return control.index().stream()
        .filter(v -> v.name().equals(r.model()) && !v.version().equals(r.version()) && v.manifestSha256() != null)
        .max(Comparator.comparing(ModelVersion::ready).thenComparing(v -> v.version().length())
            .thenComparing(ModelVersion::version))
        .map(v -> new RolloutStore.Draft(r.model(), v.version(), v.manifestSha256(), r.target(), all, r.halt(),
            r.id(), r.kind(), reason));
  }

  /**
   * Moves out of the repository the higher versions of {@code r}'s model that earlier records of its chain
   * installed, so the version policy serves {@code r}'s (a rollback, or an operator's downgrade).
   */
  Future<Void> retireSuperseded(RolloutRecord r) {
    RolloutPlan plan = store.plan();
    List<Future<Boolean>> moves = plan.records().stream()
        .filter(o -> !r.data() && o.chain().equals(r.chain()) && plan.effective(o) && RolloutPlan.AGE.compare(o, r) < 0
            && higher(o.version(), r.version()))
        .map(o -> installer.retire(o.model(), o.version(), o.manifestSha256()).onSuccess(moved -> {
          if (moved) {
            LOG.info("rollout " + r.id() + ": moved " + o.model() + "/" + o.version() + " out of the repository");
          }
        })).toList();
    return Future.join(moves).<Void>mapEmpty().recover(e -> {
      LOG.warning("could not retire superseded versions of " + r.model() + ": " + e.getMessage());
      return Future.succeededFuture();
    });
  }

  private static boolean higher(String a, String b) {
    try {
      return Long.parseLong(a) > Long.parseLong(b);
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
