package io.coedge.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.replicatedmap.ReplicatedMap;
import io.coedge.config.ClusterConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * {@link ClusterView} over two Hazelcast ReplicatedMaps (DESIGN §7): {@value #NODES} (key node id, value
 * this node's {@link NodeRecord} as JSON, written only by its owner every publish interval) and
 * {@value #VERSIONS} (key {@code kind/name/version/sha256}, value a {@link VersionRecord} as JSON, written
 * when absent and re-asserted unchanged every {@value #REASSERT_MS} ms by {@link VersionPublisher}). Reads come
 * from the parsed local replica; writes go through {@link HazelcastCalls}, never on the event loop. Survivors
 * remove the record of a member that left ({@link Membership}).
 */
public final class HazelcastClusterView extends TableView {

  public static final String NODES = "coedge.nodes";
  public static final String VERSIONS = "coedge.versions";
  /** Small shared notes, one writer per key (the scaling leader's decision). */
  public static final String NOTES = "coedge.notes";
  static final long RESCAN_MS = 1_000;
  static final long REASSERT_MS = 10_000;
  private static final Logger LOG = Logger.getLogger(HazelcastClusterView.class.getName());

  private final Vertx vertx;
  private final HazelcastInstance hz;
  private final ClusterConfig config;
  private final LongSupplier clock;
  private final OwnRecord own;
  private final HazelcastCalls calls = new HazelcastCalls();
  private final AtomicInteger pendingWrites = new AtomicInteger();
  private final RateLimitedLog problems;
  private final VersionPublisher publisher;
  private final Membership membership;
  private final RecordBroadcast live;
  private ReplicatedMap<Object, Object> nodes;
  private ReplicatedMap<Object, Object> versions;
  private volatile ReplicatedMap<Object, Object> notes;
  private MapFeed nodeFeed;
  private MapFeed versionFeed;
  private UUID nodeListener;
  private UUID versionListener;
  private volatile boolean closed;
  private long timer = -1;
  private long lastRescan;
  private long lastReassert;

  public HazelcastClusterView(Vertx vertx, HazelcastInstance hz, ClusterConfig config, String nodeId,
      LongSupplier clock) {
    this(vertx, hz, config, nodeId, clock, new HybridLogicalClock(clock, config.staleAfterMs()));
  }

  private HazelcastClusterView(Vertx vertx, HazelcastInstance hz, ClusterConfig config, String nodeId,
      LongSupplier clock, HybridLogicalClock hlc) {
    super(nodeId, new ClusterTable(config.staleAfterMs(), clock, hlc));
    this.vertx = vertx;
    this.hz = hz;
    this.config = config;
    this.clock = clock;
    this.own = new OwnRecord(nodeId, clock);
    this.problems = new RateLimitedLog(LOG, 10_000, clock);
    this.publisher = new VersionPublisher(nodeId, table, hlc, calls, problems);
    this.membership = new Membership(vertx, hz, nodeId, table, calls, () -> closed);
    this.live = new RecordBroadcast(nodeId, table);
  }

  @Override
  public Future<Void> start(LocalNode node) {
    own.start(node);
    nodeFeed = MapFeed.nodes(table);
    versionFeed = MapFeed.versions(table);
    return calls.call(() -> {
      nodes = hz.getReplicatedMap(NODES);
      versions = hz.getReplicatedMap(VERSIONS);
      notes = hz.getReplicatedMap(NOTES);
      publisher.attach(versions);
      live.start(hz);
      nodeListener = nodes.addEntryListener(nodeFeed);
      versionListener = versions.addEntryListener(versionFeed);
      membership.start(nodes, () -> publisher.reassertOwned(hz.getPartitionService()), this::rescan);
      rescan();
      return null;
    }).compose(x -> {
      timer = vertx.setPeriodic(config.publishIntervalMs(), id -> tick());
      lastRescan = lastReassert = clock.getAsLong();
      return Future.all(writeOwn(), publisher.publish(node.artifacts(), true));
    }).onSuccess(x -> LOG.info("node " + nodeId + " publishing to " + NODES + " as member "
        + membership.memberId() + " every " + config.publishIntervalMs() + " ms")).mapEmpty();
  }

  private void tick() {
    if (closed) {
      return;
    }
    try {
      if (pendingWrites.get() < 2) { // a slow cluster gets the newest record, not a backlog
        writeOwn();
      } else { // the map's put is stuck (a hung partition owner): the topic still carries the record
        live.publish(RecordCodec.encode(own.build(membership.memberId())));
      }
      long now = clock.getAsLong();
      boolean reassert = now - lastReassert >= REASSERT_MS;
      publisher.publish(own.self().artifacts(), reassert);
      if (reassert) {
        lastReassert = now;
      }
      if (now - lastRescan >= RESCAN_MS) {
        lastRescan = now;
        calls.call(this::rescan);
      }
    } catch (RuntimeException e) { // e.g. the Hazelcast member is gone; readiness already says so
      problems.warn("tick", "publishing failed: " + e);
    }
  }

  private Void rescan() {
    table.retain(nodeFeed.rescan(nodes), versionFeed.rescan(versions));
    return null;
  }

  /** Writes this node's record; built on the calling thread so seq follows call order. */
  private Future<Void> writeOwn() {
    String json = RecordCodec.encode(own.build(membership.memberId()));
    live.publish(json);
    pendingWrites.incrementAndGet();
    return calls.call(() -> {
      try {
        nodes.put(nodeId, json);
        table.putNode(nodeId, json); // read-your-writes even before the listener fires
        return (Void) null;
      } finally {
        pendingWrites.decrementAndGet();
      }
    }).onFailure(e -> problems.warn("write", "publishing own record failed: " + e));
  }

  @Override
  public Future<VersionRecord> publishVersion(Artifact artifact) {
    return publisher.publish(artifact);
  }

  @Override
  public List<String> oldestFirst(String role) {
    Map<String, String> byMember = new HashMap<>();
    for (NodeEntry n : nodes()) {
      // Membership, not freshness, says who is alive: a member whose record is late under load keeps its place.
      if (!n.record().draining() && n.record().role().equals(role)) {
        byMember.put(n.record().member(), n.id());
      }
    }
    List<String> out = new ArrayList<>();
    try {
      for (Member m : hz.getCluster().getMembers()) { // oldest first: Hazelcast's own order
        String id = byMember.get(m.getUuid().toString());
        if (id != null) {
          out.add(id);
        }
      }
    } catch (RuntimeException e) { // the member is shutting down: nobody leads from here
      return List.of();
    }
    return out;
  }

  @Override
  public Future<Void> putNote(String key, String text) {
    if (text.length() > MAX_NOTE_CHARS || notes == null) {
      return Future.failedFuture(new IllegalArgumentException("note too long or view not started"));
    }
    return calls.call(() -> {
      notes.put(key, text);
      return (Void) null;
    });
  }

  @Override
  public Optional<String> note(String key) {
    ReplicatedMap<Object, Object> n = notes;
    Object v = n == null ? null : n.get(key); // a local read of the replica
    return v instanceof String s && s.length() <= MAX_NOTE_CHARS ? Optional.of(s) : Optional.empty();
  }

  @Override
  public boolean joined() {
    String member = membership.memberId();
    return !closed && hz.getLifecycleService().isRunning() && !member.isEmpty()
        && table.record(nodeId).map(r -> r.member().equals(member)).orElse(false);
  }

  @Override
  public Future<Void> drain() {
    own.drain();
    if (!own.started() || closed) {
      return Future.succeededFuture();
    }
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
    Future<Void> mark = own.draining() || nodes == null ? Future.succeededFuture() : drainRecord();
    return mark.transform(x -> calls.call(() -> {
      if (nodes != null) {
        nodes.remove(nodeId);
        nodes.removeEntryListener(nodeListener);
        versions.removeEntryListener(versionListener);
      }
      membership.stop();
      live.stop();
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
    own.drain();
    return writeOwn();
  }
}
