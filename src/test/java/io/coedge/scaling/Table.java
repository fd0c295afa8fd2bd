package io.coedge.scaling;

import io.coedge.cluster.NodeEntry;
import io.coedge.cluster.NodeRecord;
import java.util.List;

/** Node table entries for the scaling tests: one model {@code m}, its load and demand figures. */
final class Table {

  static final String SHA = "a".repeat(64);

  private Table() {
  }

  /** A fresh, non-draining node; {@code seq} stands for its age (records written by its process). */
  static NodeEntry node(String id, String role, long seq, double arrivalsPerS, double shedPerS, double serviceUs,
      double batchRows, int workers, int queued) {
    return entry(id, role, seq, false, true, new NodeRecord.Model("m", "1", SHA, true, workers, queued, 0,
        serviceUs, batchRows, serviceUs, arrivalsPerS, shedPerS));
  }

  static NodeEntry entry(String id, String role, long seq, boolean draining, boolean fresh, NodeRecord.Model m) {
    NodeRecord r = new NodeRecord(id, "member-" + id, role, "lab", "http://127.0.0.1:1/" + id, "test", draining, seq,
        1_000, List.of(m));
    return new NodeEntry(r, 100, fresh);
  }

  /** A cloud node idle at 10 ms per request, 2 workers, receiving {@code arrivalsPerS}. */
  static NodeEntry cloud(String id, long seq, double arrivalsPerS) {
    return node(id, "cloud", seq, arrivalsPerS, 0, 10_000, 1, 2, 0);
  }
}
