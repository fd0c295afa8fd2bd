package io.coedge.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.partition.PartitionService;
import com.hazelcast.replicatedmap.ReplicatedMap;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Writes this node's artifacts to {@value HazelcastClusterView#VERSIONS} (DESIGN §7.2): an entry is written when
 * absent and never overwritten; holders re-assert theirs unchanged, periodically and when a member joins, so
 * ReplicatedMap's missing guarantees heal by themselves. Map calls run on {@link HazelcastCalls}' thread.
 */
final class VersionPublisher {

  private static final Logger LOG = Logger.getLogger(VersionPublisher.class.getName());

  private final String nodeId;
  private final ClusterTable table;
  private final HybridLogicalClock hlc;
  private final HazelcastCalls calls;
  private final RateLimitedLog problems;
  private volatile ReplicatedMap<Object, Object> versions;

  VersionPublisher(String nodeId, ClusterTable table, HybridLogicalClock hlc, HazelcastCalls calls,
      RateLimitedLog problems) {
    this.nodeId = nodeId;
    this.table = table;
    this.hlc = hlc;
    this.calls = calls;
    this.problems = problems;
  }

  void attach(ReplicatedMap<Object, Object> map) {
    versions = map;
  }

  /** Publishes the artifacts missing from the local replica; with {@code reassert}, re-writes present ones too. */
  Future<Void> publish(List<Artifact> held, boolean reassert) {
    List<Artifact> todo = reassert ? held : held.stream().filter(a -> !versions.containsKey(a.key())).toList();
    if (todo.isEmpty()) {
      return Future.succeededFuture();
    }
    return calls.call(() -> {
      for (Artifact a : todo) {
        put(a, true);
      }
      return (Void) null;
    }).onFailure(e -> problems.warn("versions", "publishing versions failed: " + e));
  }

  /** Publishes one artifact unless a valid entry exists; completes with the entry now in the map. */
  Future<VersionRecord> publish(Artifact artifact) {
    return calls.call(() -> put(artifact, false));
  }

  /** On the Hazelcast thread: keeps a valid existing entry (re-written unchanged if asked), else writes ours. */
  private VersionRecord put(Artifact a, boolean rewrite) {
    String key = a.key();
    Object raw = versions.get(key);
    if (raw != null && table.putVersion(key, raw)) {
      if (rewrite) {
        versions.put(key, raw);
      }
      // Decoded here rather than read back from the table: a listener thread may replace or drop the table's
      // entry in between (seen once on a loaded start as NoSuchElementException from the read-back).
      try {
        return RecordCodec.decodeVersion(key, raw);
      } catch (BadRecordException e) {
        throw new IllegalStateException("accepted then undecodable: " + key, e); // putVersion decoded it just now
      }
    }
    VersionRecord r = new VersionRecord(a, nodeId, hlc.now());
    String json = RecordCodec.encode(r);
    versions.put(key, json);
    table.putVersion(key, json);
    return r;
  }

  /**
   * On the Hazelcast thread: re-writes, unchanged, the valid entries whose partition this member owns (a member
   * merging back after a split refills only the partitions it now owns).
   */
  Void reassertOwned(PartitionService partitions) {
    int n = 0;
    for (Map.Entry<Object, Object> e : versions.entrySet()) {
      Member owner = partitions.getPartition(e.getKey()).getOwner();
      if (owner != null && owner.localMember() && e.getKey() instanceof String key
          && table.putVersion(key, e.getValue())) {
        versions.put(key, e.getValue());
        n++;
      }
    }
    int sent = n;
    LOG.fine(() -> "a member joined; re-sent " + sent + " version entries this member owns");
    return null;
  }
}
