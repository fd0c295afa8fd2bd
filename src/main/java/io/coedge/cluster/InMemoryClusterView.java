package io.coedge.cluster;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * {@link ClusterView} without Hazelcast: the node sees itself (its record re-stamped whenever the node table is
 * read, and at least every quarter of {@code stale-after} for the per-request candidate lookup)
 * plus whatever records are {@link #put} into it. Used when {@code cluster.enabled=false}, so the cluster
 * endpoints still answer, and as the fake for unit tests of routing: tests put peers' records, advance the
 * injected clock and call {@link #refresh()} to fire staleness events. Same freshness and version rules as
 * the Hazelcast view (both read through {@link ClusterTable}).
 */
public final class InMemoryClusterView implements ClusterView {

  private final String nodeId;
  private final LongSupplier clock;
  private final HybridLogicalClock hlc;
  private final ClusterTable table;
  private LocalNode self; // guarded by this
  private boolean draining; // guarded by this
  private boolean closed; // guarded by this
  private long seq; // guarded by this
  private boolean stamped; // guarded by this
  private long stampedAt; // guarded by this
  private final long staleAfterMs;

  public InMemoryClusterView(String nodeId, long staleAfterMs, LongSupplier clock) {
    this.nodeId = nodeId;
    this.staleAfterMs = staleAfterMs;
    this.clock = clock;
    this.hlc = new HybridLogicalClock(clock, staleAfterMs);
    this.table = new ClusterTable(staleAfterMs, clock, hlc);
  }

  @Override
  public String nodeId() {
    return nodeId;
  }

  @Override
  public synchronized Future<Void> start(LocalNode node) {
    self = node;
    stampSelf();
    for (Artifact a : node.artifacts()) {
      if (table.versions().records().stream().noneMatch(v -> v.key().equals(a.key()))) {
        table.putVersion(new VersionRecord(a, nodeId, hlc.now()));
      }
    }
    table.refresh();
    return Future.succeededFuture();
  }

  /** Re-stamps this node's own record: a single node is always as fresh as the moment it is asked. */
  private synchronized void stampSelf() {
    if (self != null && !closed) {
      stamped = true;
      stampedAt = clock.getAsLong();
      table.putNode(new NodeRecord(nodeId, "", self.role(), self.site(), self.url(), self.build(), draining, ++seq,
          stampedAt, self.models()));
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
    table.refresh();
  }

  /** Feeds a raw map value, as the Hazelcast view would; false if it was rejected as garbage. */
  public boolean putRaw(String key, Object raw) {
    boolean ok = table.putNode(key, raw);
    table.refresh();
    return ok;
  }

  /** Drops a peer's record, as a survivor does when a member leaves. */
  public void remove(String id) {
    table.removeNode(id);
    table.refresh();
  }

  /** Holds a version entry as if it had been replicated here. */
  public void putVersion(VersionRecord record) {
    table.putVersion(record);
    table.refresh();
  }

  /** Re-evaluates freshness now and fires events for what changed (call after advancing the clock). */
  public void refresh() {
    stampSelf();
    table.refresh();
  }

  @Override
  public synchronized boolean joined() {
    return self != null && !closed;
  }

  @Override
  public List<NodeEntry> nodes() {
    stampSelf();
    return table.nodes();
  }

  @Override
  public Optional<NodeEntry> node(String id) {
    stampSelf();
    return table.node(id);
  }

  @Override
  public List<NodeEntry> candidates(String model, String version, String sha256) {
    keepSelfFresh();
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
    refresh();
    return Future.succeededFuture();
  }

  @Override
  public Future<VersionRecord> publishVersion(Artifact artifact) {
    Optional<VersionRecord> existing = table.versions().records().stream()
        .filter(v -> v.key().equals(artifact.key())).findFirst();
    VersionRecord r = existing.orElseGet(() -> new VersionRecord(artifact, nodeId, hlc.now()));
    if (existing.isEmpty()) {
      putVersion(r);
    }
    return Future.succeededFuture(r);
  }

  @Override
  public Subscription listen(Consumer<ClusterEvent> listener) {
    Context ctx = Vertx.currentContext();
    return table.listen(listener, ctx == null ? Runnable::run : task -> ctx.runOnContext(v -> task.run()));
  }

  @Override
  public synchronized Future<Void> drain() {
    draining = true;
    stampSelf();
    table.refresh();
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> close() {
    synchronized (this) {
      if (closed) {
        return Future.succeededFuture();
      }
      draining = true;
      stampSelf();
      closed = true;
    }
    remove(nodeId);
    return Future.succeededFuture();
  }
}
