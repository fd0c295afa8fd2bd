package io.coedge.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import com.hazelcast.partition.PartitionService;
import com.hazelcast.replicatedmap.ReplicatedMap;
import io.coedge.config.ClusterConfig;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * {@link ClusterView} over two Hazelcast ReplicatedMaps (DESIGN §7): {@value #NODES} (key node id, value
 * this node's {@link NodeRecord} as JSON, written only by its owner every publish interval) and
 * {@value #VERSIONS} (key {@code kind/name/version/sha256}, value a {@link VersionRecord} as JSON, written
 * when absent and re-asserted unchanged every {@value #REASSERT_MS} ms). Reads come from the parsed local
 * replica; writes go through {@link HazelcastCalls}, never on the event loop. Survivors remove the record of a
 * member that left, matched by the Hazelcast member UUID stored in it.
 */
public final class HazelcastClusterView implements ClusterView {

  public static final String NODES = "coedge.nodes";
  public static final String VERSIONS = "coedge.versions";
  static final long RESCAN_MS = 1_000;
  static final long REASSERT_MS = 10_000;
  static final long JOIN_REASSERT_DELAY_MS = 1_000;
  private static final Logger LOG = Logger.getLogger(HazelcastClusterView.class.getName());

  private final Vertx vertx;
  private final HazelcastInstance hz;
  private final ClusterConfig config;
  private final String nodeId;
  private final LongSupplier clock;
  private final HybridLogicalClock hlc;
  private final ClusterTable table;
  private final HazelcastCalls calls = new HazelcastCalls();
  private final AtomicInteger pendingWrites = new AtomicInteger();
  private ReplicatedMap<Object, Object> nodes;
  private ReplicatedMap<Object, Object> versions;
  private MapFeed nodeFeed;
  private MapFeed versionFeed;
  private UUID nodeListener;
  private UUID versionListener;
  private UUID membershipListener;
  private UUID lifecycleListener;
  private volatile LocalNode self;
  private volatile boolean draining;
  private volatile boolean closed;
  private long seq;
  private long timer = -1;
  private long lastRescan;
  private long lastReassert;

  public HazelcastClusterView(Vertx vertx, HazelcastInstance hz, ClusterConfig config, String nodeId,
      LongSupplier clock) {
    this.vertx = vertx;
    this.hz = hz;
    this.config = config;
    this.nodeId = nodeId;
    this.clock = clock;
    this.hlc = new HybridLogicalClock(clock, config.staleAfterMs());
    this.table = new ClusterTable(config.staleAfterMs(), clock, hlc);
  }

  @Override
  public String nodeId() {
    return nodeId;
  }

  @Override
  public Future<Void> start(LocalNode node) {
    this.self = node;
    nodeFeed = MapFeed.nodes(table);
    versionFeed = MapFeed.versions(table);
    return calls.call(() -> {
      attachMaps();
      membershipListener = hz.getCluster().addMembershipListener(new MembershipListener() {
        public void memberAdded(MembershipEvent e) {
          // A member merging back after a split refills only the partitions it now owns; Hazelcast's
          // anti-entropy would bring the rest within 30 s. Each owner re-sends its entries instead.
          vertx.setTimer(JOIN_REASSERT_DELAY_MS, t -> calls.call(HazelcastClusterView.this::reassertOwned));
        }

        public void memberRemoved(MembershipEvent e) {
          forget(e.getMember().getUuid().toString());
        }
      });
      lifecycleListener = hz.getLifecycleService().addLifecycleListener(e -> {
        if (e.getState() == LifecycleEvent.LifecycleState.MERGED) {
          LOG.info("merged back after a split; re-reading the shared tables");
          calls.call(this::rescan);
        }
      });
      rescan();
      return null;
    }).compose(x -> {
      timer = vertx.setPeriodic(config.publishIntervalMs(), id -> tick());
      lastRescan = lastReassert = clock.getAsLong();
      return Future.all(writeOwn(), publishVersions(true));
    }).onSuccess(x -> LOG.info("node " + nodeId + " publishing to " + NODES + " as member "
        + memberId() + " every " + config.publishIntervalMs() + " ms")).mapEmpty();
  }

  private void attachMaps() {
    nodes = hz.getReplicatedMap(NODES);
    versions = hz.getReplicatedMap(VERSIONS);
    nodeListener = nodes.addEntryListener(nodeFeed);
    versionListener = versions.addEntryListener(versionFeed);
  }

  private void tick() {
    if (closed) {
      return;
    }
    if (pendingWrites.get() < 2) { // a slow cluster gets the newest record, not a backlog
      writeOwn();
    }
    long now = clock.getAsLong();
    boolean reassert = now - lastReassert >= REASSERT_MS;
    publishVersions(reassert);
    if (reassert) {
      lastReassert = now;
    }
    if (now - lastRescan >= RESCAN_MS) {
      lastRescan = now;
      calls.call(this::rescan);
    }
    table.refresh();
  }

  private Void rescan() {
    table.retain(nodeFeed.rescan(nodes), versionFeed.rescan(versions));
    table.refresh();
    return null;
  }

  /** Writes this node's record; built on the calling thread so seq follows call order. */
  private Future<Void> writeOwn() {
    NodeRecord r = record();
    String json = RecordCodec.encode(r);
    pendingWrites.incrementAndGet();
    return calls.call(() -> {
      try {
        nodes.put(nodeId, json);
        table.putNode(nodeId, json); // read-your-writes even before the listener fires
        return (Void) null;
      } finally {
        pendingWrites.decrementAndGet();
      }
    }).onFailure(e -> LOG.warning("publishing own record failed: " + e));
  }

  private synchronized NodeRecord record() {
    LocalNode n = self;
    return new NodeRecord(nodeId, memberId(), n.role(), n.site(), n.url(), n.build(), draining, ++seq,
        clock.getAsLong(), n.models());
  }

  private String memberId() {
    try {
      return hz.getCluster().getLocalMember().getUuid().toString();
    } catch (RuntimeException e) { // instance shutting down
      return "";
    }
  }

  /** On the Hazelcast thread: re-writes, unchanged, the valid version entries whose partition this member owns. */
  private Void reassertOwned() {
    PartitionService partitions = hz.getPartitionService();
    int n = 0;
    for (Map.Entry<Object, Object> e : versions.entrySet()) {
      Member owner = partitions.getPartition(e.getKey()).getOwner();
      if (owner != null && owner.localMember() && e.getKey() instanceof String key && table.putVersion(key, e.getValue())) {
        versions.put(key, e.getValue());
        n++;
      }
    }
    int sent = n;
    LOG.fine(() -> "a member joined; re-sent " + sent + " version entries this member owns");
    return null;
  }

  /** Publishes artifacts missing from the local replica; with {@code reassert}, re-writes present ones unchanged. */
  private Future<Void> publishVersions(boolean reassert) {
    List<Artifact> held = self.artifacts();
    List<Artifact> todo = reassert ? held : held.stream().filter(a -> !versions.containsKey(a.key())).toList();
    if (todo.isEmpty()) {
      return Future.succeededFuture();
    }
    return calls.call(() -> {
      for (Artifact a : todo) {
        putVersion(a, true);
      }
      return (Void) null;
    }).onFailure(e -> LOG.warning("publishing versions failed: " + e));
  }

  /** On the Hazelcast thread: keeps a valid existing entry (re-written unchanged if asked), else writes ours. */
  private VersionRecord putVersion(Artifact a, boolean rewrite) {
    String key = a.key();
    Object raw = versions.get(key);
    if (raw != null && table.putVersion(key, raw)) {
      if (rewrite) {
        versions.put(key, raw);
      }
      return table.versions().records().stream().filter(v -> v.key().equals(key)).findFirst().orElseThrow();
    }
    VersionRecord r = new VersionRecord(a, nodeId, hlc.now());
    String json = RecordCodec.encode(r);
    versions.put(key, json);
    table.putVersion(key, json);
    return r;
  }

  @Override
  public Future<VersionRecord> publishVersion(Artifact artifact) {
    return calls.call(() -> putVersion(artifact, false)).onSuccess(v -> table.refresh());
  }

  /** A member left: drop its record here at once, and from the map (any survivor may; all try, harmlessly). */
  private void forget(String memberUuid) {
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
    table.refresh();
  }

  @Override
  public boolean joined() {
    String member = memberId();
    return !closed && hz.getLifecycleService().isRunning() && !member.isEmpty()
        && table.record(nodeId).map(r -> r.member().equals(member)).orElse(false);
  }

  @Override
  public List<NodeEntry> nodes() {
    return table.nodes();
  }

  @Override
  public Optional<NodeEntry> node(String id) {
    return table.node(id);
  }

  @Override
  public List<NodeEntry> candidates(String model, String version, String sha256) {
    return table.candidates(model, version, sha256);
  }

  @Override
  public VersionSet versions() {
    return table.versions();
  }

  @Override
  public long rejectedRecords() {
    return table.rejected();
  }

  @Override
  public Future<Void> publishNow() {
    return writeOwn();
  }

  @Override
  public Subscription listen(Consumer<ClusterEvent> listener) {
    Context ctx = vertx.getOrCreateContext();
    return table.listen(listener, task -> ctx.runOnContext(v -> task.run()));
  }

  @Override
  public Future<Void> drain() {
    draining = true;
    return writeOwn().compose(x -> {
      Promise<Void> grace = Promise.promise();
      vertx.setTimer(config.publishIntervalMs(), t -> grace.complete());
      return grace.future();
    });
  }

  @Override
  public Future<Void> close() {
    if (closed) {
      return Future.succeededFuture();
    }
    closed = true;
    vertx.cancelTimer(timer);
    Future<Void> mark = draining || nodes == null ? Future.succeededFuture() : drainRecord();
    return mark.transform(x -> calls.call(() -> {
      if (nodes != null) {
        nodes.remove(nodeId);
        nodes.removeEntryListener(nodeListener);
        versions.removeEntryListener(versionListener);
        hz.getCluster().removeMembershipListener(membershipListener);
        hz.getLifecycleService().removeLifecycleListener(lifecycleListener);
      }
      return (Void) null;
    })).transform(ar -> {
      calls.close();
      if (ar.failed()) {
        LOG.warning("leaving the node table: " + ar.cause());
      }
      return Future.<Void>succeededFuture();
    });
  }

  private Future<Void> drainRecord() {
    draining = true;
    return writeOwn();
  }
}
