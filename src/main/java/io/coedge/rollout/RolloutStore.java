package io.coedge.rollout;

import io.vertx.core.Future;
import java.util.List;

/**
 * The fleet's rollout records and every node's progress, as this node sees them (DESIGN §12). Reads are local
 * snapshots; writes return {@link Future}s on the caller's context.
 */
public interface RolloutStore {

  /** What the records held now mean. */
  RolloutPlan plan();

  /** Every node's reported progress, by node then model. */
  List<NodeRollout> states();

  /**
   * Publishes a new rollout stamped now by this node; {@code supersedes} null means "the model's current head"
   * as seen here (so an operator's next record replaces the last one). Completes with the stored record.
   */
  Future<RolloutRecord> publish(Draft draft);

  /** Publishes this node's progress for one model. */
  Future<Void> report(NodeRollout state);

  /** A rollout request before it gets its id, publisher and timestamp. */
  record Draft(String model, String version, String manifestSha256, RolloutRecord.Target target,
      List<RolloutRecord.Stage> stages, RolloutRecord.Halt halt, String supersedes, String kind, String reason) {

    /** A model rollout. */
    public Draft(String model, String version, String manifestSha256, RolloutRecord.Target target,
        List<RolloutRecord.Stage> stages, RolloutRecord.Halt halt, String supersedes) {
      this(model, version, manifestSha256, target, stages, halt, supersedes, RolloutRecord.MODEL, "");
    }

    /** The chain the draft extends ({@link RolloutRecord#chain}). */
    public String chain() {
      return RolloutRecord.DATA.equals(kind) ? model + ":data" : model;
    }
  }
}
