package io.coedge.cluster;

import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;

/**
 * The shared picture of the cluster as this node sees it (DESIGN §7): every node's record (load, model
 * versions, draining flag) and the set of published artifact versions. Reads are local and cheap and may be
 * called on the event loop for every request; asynchronous operations return {@link Future}s completed on the
 * caller's context.
 *
 * <p>Freshness: a record's age is this node's wall clock minus the writer's {@code writtenAt}; a record is
 * <em>fresh</em> while its age is at most {@code cluster.stale-after-ms}. Stale records are still listed by
 * {@link #nodes()} (marked) but never returned as candidates. Records written more than stale-after in the
 * future are rejected as garbage: clocks must be NTP-synchronised well within stale-after.
 */
public interface ClusterView {

  /** This node's id. */
  String nodeId();

  /** Starts publishing {@code self} every publish interval, and its artifacts; completes after the first write. */
  Future<Void> start(LocalNode self);

  /** True while this node is a member of the cluster and its own record is visible in its local view. */
  boolean joined();

  /** Every node record this node holds, own included, sorted by id, with age and freshness. */
  List<NodeEntry> nodes();

  /** One node's record, if held. */
  Optional<NodeEntry> node(String nodeId);

  /**
   * Nodes that may be sent a request for {@code model/version} with exactly these bytes: record fresh, not
   * draining, the model version ready with this sha256 and the same data bound to it as here (the digest of
   * its data artifacts, see {@link NodeRecord.Model#data}). This node is included when it qualifies. Sorted by id.
   */
  List<NodeEntry> candidates(String model, String version, String sha256);

  /**
   * The records of every other node this view holds, fresh or stale, sorted by id. The same list object comes back
   * until another node's record is added, replaced or removed, so a reader on the request path may keep what it
   * derived from the records (never from their age) while it gets the same object: e.g. that no node of a higher
   * tier exists at all. This default builds a new list on every call (a reader then derives it again each time).
   */
  default List<NodeRecord> peers() {
    return nodes().stream().filter(n -> !n.id().equals(nodeId())).map(NodeEntry::record).toList();
  }

  /** The published artifact versions, as an immutable snapshot. */
  VersionSet versions();

  /** The current version of {@code kind/name} ({@link VersionSet#current}); empty if none. */
  default Optional<VersionRecord> currentVersion(String kind, String name) {
    return versions().current(kind, name);
  }

  /** Every {@code kind/name/version} published with two or more sha256 ({@link VersionSet#conflicts}). */
  default List<VersionSet.Conflict> conflicts() {
    return versions().conflicts();
  }

  /** Entries that readers rejected as malformed since start (see {@link BadRecordException}). */
  long rejectedRecords();

  /**
   * Publishes an artifact this node holds unless an entry with the same key already exists (entries are
   * immutable facts); completes with the entry now in the map.
   */
  Future<VersionRecord> publishVersion(Artifact artifact);

  /**
   * Ids of the non-draining nodes of {@code role}, the oldest cluster member first (Hazelcast keeps its members in
   * join order, and membership says who is alive, so a record that is late under load keeps its place; without
   * membership, the fresh ones by id). The elastic scaler's leader is the first cloud node.
   */
  default List<String> oldestFirst(String role) {
    return nodes().stream().filter(n -> n.usable() && n.record().role().equals(role)).map(NodeEntry::id).toList();
  }

  /**
   * Writes a small shared note under {@code key} (at most {@link #MAX_NOTE_CHARS} characters; one writer per key,
   * e.g. the scaling leader's latest decision). Readers treat notes as untrusted input.
   */
  default Future<Void> putNote(String key, String text) {
    return Future.failedFuture(new UnsupportedOperationException("no shared notes in this view"));
  }

  /** The shared note under {@code key}, if any. */
  default Optional<String> note(String key) {
    return Optional.empty();
  }

  /** Largest note {@link #putNote} writes and {@link #note} returns. */
  int MAX_NOTE_CHARS = 16 * 1024;

  /** Marks this node draining, so peers stop choosing it; completes once peers have had time to see it. */
  Future<Void> drain();

  /** Leaves the shared picture: draining if not already, then own record removed, then timers stopped. */
  Future<Void> close();
}
