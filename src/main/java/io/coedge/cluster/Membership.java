package io.coedge.cluster;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import com.hazelcast.replicatedmap.ReplicatedMap;
import io.vertx.core.Vertx;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;

/**
 * Follows Hazelcast membership for the view: a member that left has its node record dropped here at once and
 * removed from the map (any survivor may; all try, harmlessly); a member that joined, or this one merging back
 * after a split, gets this node's version entries re-sent and the tables re-read.
 */
final class Membership {

  static final long JOIN_REASSERT_DELAY_MS = 1_000;
  private static final Logger LOG = Logger.getLogger(Membership.class.getName());

  private final Vertx vertx;
  private final HazelcastInstance hz;
  private final String nodeId;
  private final ClusterTable table;
  private final HazelcastCalls calls;
  private final BooleanSupplier closed;
  private UUID membershipListener;
  private UUID lifecycleListener;

  Membership(Vertx vertx, HazelcastInstance hz, String nodeId, ClusterTable table, HazelcastCalls calls,
      BooleanSupplier closed) {
    this.vertx = vertx;
    this.hz = hz;
    this.nodeId = nodeId;
    this.table = table;
    this.calls = calls;
    this.closed = closed;
  }

  /** On the Hazelcast thread: listens; {@code onJoin} and {@code onMerge} then run there too. */
  void start(ReplicatedMap<Object, Object> nodes, Runnable onJoin, Runnable onMerge) {
    membershipListener = hz.getCluster().addMembershipListener(new MembershipListener() {
      public void memberAdded(MembershipEvent e) {
        // Hazelcast's anti-entropy would bring the rest within 30 s; one put per version entry cluster-wide per
        // join is cheap next to a join.
        vertx.setTimer(JOIN_REASSERT_DELAY_MS, t -> {
          if (!closed.getAsBoolean()) {
            calls.call(() -> {
              onJoin.run();
              return null;
            });
          }
        });
      }

      public void memberRemoved(MembershipEvent e) {
        forget(nodes, e.getMember().getUuid().toString());
      }
    });
    lifecycleListener = hz.getLifecycleService().addLifecycleListener(e -> {
      if (e.getState() == LifecycleEvent.LifecycleState.MERGED) {
        LOG.info("merged back after a split; re-reading the shared tables");
        calls.call(() -> {
          onMerge.run();
          return null;
        });
      }
    });
  }

  /** On the Hazelcast thread. */
  void stop() {
    if (membershipListener != null) {
      hz.getCluster().removeMembershipListener(membershipListener);
      hz.getLifecycleService().removeLifecycleListener(lifecycleListener);
    }
  }

  /** This member's UUID, "" while the instance shuts down. */
  String memberId() {
    try {
      return hz.getCluster().getLocalMember().getUuid().toString();
    } catch (RuntimeException e) {
      return "";
    }
  }

  private void forget(ReplicatedMap<Object, Object> nodes, String memberUuid) {
    for (NodeEntry e : table.nodes()) {
      String id = e.id();
      if (!id.equals(nodeId) && e.record().member().equals(memberUuid)) {
        table.removeNode(id);
        calls.call(() -> {
          // No compare-and-set on ReplicatedMap: re-check so a restarted owner's new record is left alone.
          try {
            if (RecordCodec.decodeNode(id, nodes.get(id)).member().equals(memberUuid)) {
              nodes.remove(id);
            }
          } catch (BadRecordException ignored) {
            // already gone or replaced by something else: not ours to remove
          }
          return null;
        });
        LOG.info("member " + memberUuid + " left; removed the record of node " + id);
      }
    }
  }
}
