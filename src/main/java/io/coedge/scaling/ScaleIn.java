package io.coedge.scaling;

import io.coedge.cluster.ClusterView;
import io.coedge.cluster.NodeEntry;
import io.coedge.cluster.NodeRecord;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Scale-in without losing a request (DESIGN §12): the node to leave is the newest (its process has written the
 * fewest records) and, among equals, the least loaded; it is asked to mark itself draining, so edges stop
 * sending it new offloads, and the scaler waits until its fresh record shows nothing queued or running (twice in
 * a row, or the record is gone, or {@link #MAX_WAIT_MS} passed) before the actuator stops it.
 */
public final class ScaleIn {

  static final long MAX_WAIT_MS = 30_000;

  private final Vertx vertx;
  private final ClusterView cluster;
  private final Function<String, Future<Void>> drain;
  private final long pollMs;

  /** {@code drain}: marks the node at this URL draining (e.g. {@link DrainClient#drain}). */
  public ScaleIn(Vertx vertx, ClusterView cluster, Function<String, Future<Void>> drain, long pollMs) {
    this.vertx = vertx;
    this.cluster = cluster;
    this.drain = drain;
    this.pollMs = pollMs;
  }

  /** The cloud node to remove: never {@code self} (the leader), the newest, then the least loaded; by id. */
  static Optional<NodeEntry> choose(List<NodeEntry> table, String self) {
    return table.stream().filter(n -> !n.record().draining() && "cloud".equals(n.record().role())
            && !n.id().equals(self))
        .min(Comparator.comparingLong((NodeEntry n) -> n.record().seq()).thenComparingInt(ScaleIn::load)
            .thenComparing(NodeEntry::id));
  }

  static int load(NodeEntry n) {
    int sum = 0;
    for (NodeRecord.Model m : n.record().models()) {
      sum += m.queued() + m.inflight();
    }
    return sum;
  }

  /** Marks {@code victim} draining, then completes once it is idle (or gone, or the wait ran out). */
  Future<Void> drainAndWait(NodeEntry victim) {
    return drain.apply(victim.record().url()).compose(x -> {
      Promise<Void> idle = Promise.promise();
      long deadline = System.nanoTime() + MAX_WAIT_MS * 1_000_000;
      int[] quiet = {0};
      vertx.setPeriodic(pollMs, t -> {
        Optional<NodeEntry> now = cluster.node(victim.id());
        boolean gone = now.isEmpty();
        quiet[0] = gone || now.get().fresh() && now.get().record().draining() && load(now.get()) == 0
            ? quiet[0] + 1 : 0;
        if (gone || quiet[0] >= 2 || System.nanoTime() > deadline) {
          vertx.cancelTimer(t);
          idle.complete();
        }
      });
      return idle.future();
    });
  }
}
