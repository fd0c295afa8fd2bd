package io.coedge.cluster;

import io.vertx.core.Future;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * {@link ClusterView} without Hazelcast: the node sees itself (its record re-stamped whenever the node table is
 * read, and at least every quarter of {@code stale-after} for the per-request candidate lookup)
 * plus whatever records are {@link #put} into it. Used when {@code cluster.enabled=false}, so the cluster
 * endpoints still answer, and as the fake for unit tests of routing: tests put peers' records and advance the
 * injected clock. Same freshness, record and version rules as the Hazelcast view (both build their own record
 * with {@link OwnRecord} and read through {@link ClusterTable}).
 */
public final class InMemoryClusterView extends TableView {

  private final LongSupplier clock;
  private final HybridLogicalClock hlc;
  private final OwnRecord own;
  private final long staleAfterMs;
  private final java.util.Map<String, String> notes = new java.util.concurrent.ConcurrentHashMap<>();
  private boolean closed; // guarded by this
  private boolean stamped; // guarded by this
  private long stampedAt; // guarded by this

  public InMemoryClusterView(String nodeId, long staleAfterMs, LongSupplier clock) {
    this(nodeId, staleAfterMs, clock, new HybridLogicalClock(clock, staleAfterMs));
  }

  private InMemoryClusterView(String nodeId, long staleAfterMs, LongSupplier clock, HybridLogicalClock hlc) {
    super(nodeId, new ClusterTable(staleAfterMs, clock, hlc));
    this.staleAfterMs = staleAfterMs;
    this.clock = clock;
    this.hlc = hlc;
    this.own = new OwnRecord(nodeId, clock);
  }

  @Override
  public synchronized Future<Void> start(LocalNode node) {
    own.start(node);
    stampSelf();
    node.artifacts().forEach(this::publishVersion);
    return Future.succeededFuture();
  }

  /** Re-stamps this node's own record: a single node is always as fresh as the moment it is asked. */
  private synchronized void stampSelf() {
    if (own.started() && !closed) {
      NodeRecord r = own.build("");
      stamped = true;
      stampedAt = r.writtenAt();
      table.putNode(r);
    }
  }

  /**
   * For the per-request candidate lookup: re-stamps only when the own record is a quarter of {@code stale-after}
   * old, so it never goes stale, without rebuilding it (every model's load) on each request.
   */
  private synchronized void keepSelfFresh() {
    if (!stamped || clock.getAsLong() - stampedAt >= staleAfterMs / 4) {
      stampSelf();
    }
  }

  /** Holds a peer's record as if it had been replicated here. */
  public void put(NodeRecord record) {
    table.putNode(record);
  }

  /** Feeds a raw map value, as the Hazelcast view would; false if it was rejected as garbage. */
  public boolean putRaw(String key, Object raw) {
    return table.putNode(key, raw);
  }

  /** Drops a peer's record, as a survivor does when a member leaves. */
  public void remove(String id) {
    table.removeNode(id);
  }

  /** Holds a version entry as if it had been replicated here. */
  public void putVersion(VersionRecord record) {
    table.putVersion(record);
  }

  @Override
  public synchronized boolean joined() {
    return own.started() && !closed;
  }

  @Override
  protected void beforeRead(boolean perRequest) {
    if (perRequest) {
      keepSelfFresh();
    } else {
      stampSelf();
    }
  }

  @Override
  public Future<VersionRecord> publishVersion(Artifact artifact) {
    Optional<VersionRecord> existing = table.version(artifact.key());
    if (existing.isPresent()) {
      return Future.succeededFuture(existing.get());
    }
    VersionRecord r = new VersionRecord(artifact, nodeId, hlc.now());
    table.putVersion(r);
    return Future.succeededFuture(r);
  }

  @Override
  public synchronized Future<Void> drain() {
    own.drain();
    stampSelf();
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> close() {
    synchronized (this) {
      if (closed) {
        return Future.succeededFuture();
      }
      own.drain();
      stampSelf();
      closed = true;
    }
    remove(nodeId);
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> putNote(String key, String text) {
    if (text.length() > MAX_NOTE_CHARS) {
      return Future.failedFuture(new IllegalArgumentException("note longer than " + MAX_NOTE_CHARS));
    }
    notes.put(key, text);
    return Future.succeededFuture();
  }

  @Override
  public Optional<String> note(String key) {
    return Optional.ofNullable(notes.get(key));
  }
}
