package io.coedge.rollout;

import io.coedge.cluster.HybridLogicalClock;
import io.coedge.cluster.NodeEntry;
import io.coedge.cluster.NodeRecord;
import java.util.List;

/** Builders for rollout tests. */
final class Rollouts {

  static final String SHA_A = "a".repeat(64);
  static final String SHA_B = "b".repeat(64);

  private Rollouts() {
  }

  static RolloutRecord rollout(String id, String model, String version, String supersedes, long ms,
      List<RolloutRecord.Stage> stages) {
    return new RolloutRecord(id, model, version, version.equals("1") ? SHA_A : SHA_B, RolloutRecord.Target.ALL,
        stages, RolloutRecord.Halt.DEFAULT, supersedes, "cloud-1", new HybridLogicalClock.Timestamp(ms, 0));
  }

  static RolloutRecord all(String id, String version, String supersedes, long ms) {
    return rollout(id, "m", version, supersedes, ms, List.of(RolloutRecord.Stage.all()));
  }

  static NodeEntry node(String id, String role, String site, boolean fresh, boolean draining) {
    return new NodeEntry(new NodeRecord(id, "", role, site, "http://127.0.0.1:1", "test", draining, 1, 0,
        List.of()), 0, fresh);
  }

  static NodeEntry edge(String id) {
    return node(id, "edge", "s1", true, false);
  }
}
