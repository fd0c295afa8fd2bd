package io.coedge.cluster;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * The read side shared by every {@link ClusterView}: parsed, bounded copies of both maps, freshness by an
 * injected clock. Fed raw map values (Hazelcast) or trusted records
 * (in-memory view); a value is parsed once and reused while it is unchanged. Thread-safe.
 */
final class ClusterTable {

  static final int MAX_NODES = 1024;
  static final int MAX_VERSIONS = 10_000;
  private static final Logger LOG = Logger.getLogger(ClusterTable.class.getName());

  private record Parsed<T>(Object raw, T value) {
  }

  /** The peer list built at a node-table generation. */
  private record Peers(long generation, List<NodeRecord> records) {
  }

  private final long staleAfterMs;
  private final LongSupplier clock;
  private final HybridLogicalClock hlc;
  private final RateLimitedLog garbageLog;
  private final Map<String, Parsed<NodeRecord>> nodes = new ConcurrentHashMap<>();
  private final Map<String, Parsed<VersionRecord>> versions = new ConcurrentHashMap<>();
  // The last rejected value per key, so a rescan does not parse, count and log the same garbage again.
  private final Map<String, Object> rejectedNodes = new ConcurrentHashMap<>();
  private final Map<String, Object> rejectedVersions = new ConcurrentHashMap<>();
  private final AtomicLong rejected = new AtomicLong();
  private volatile VersionSet versionSet = VersionSet.EMPTY;
  /** Moves after every change to {@link #nodes} (after it, so a reader that sees a value sees the change). */
  private final AtomicLong nodeGeneration = new AtomicLong();
  private volatile Peers peers = new Peers(-1, List.of());

  ClusterTable(long staleAfterMs, LongSupplier clock, HybridLogicalClock hlc) {
    this.staleAfterMs = staleAfterMs;
    this.clock = clock;
    this.hlc = hlc;
    this.garbageLog = new RateLimitedLog(LOG, 10_000, clock);
  }

  /** Parses and holds a raw {@code coedge.nodes} value; a bad one is dropped (with any older copy) and logged. */
  boolean putNode(String key, Object raw) {
    Parsed<NodeRecord> old = nodes.get(key);
    if (old != null && Objects.equals(old.raw(), raw)) {
      return true;
    }
    if (raw != null && Objects.equals(rejectedNodes.get(key), raw)) {
      return false;
    }
    try {
      NodeRecord r = RecordCodec.decodeNode(key, raw);
      long ahead = r.writtenAt() - clock.getAsLong();
      if (ahead > staleAfterMs) {
        throw new BadRecordException("written " + ahead + " ms in the future (clock skew?)");
      }
      if (old != null && r.writtenAt() < old.value().writtenAt()) {
        return true; // a late copy (the map's, after the topic's newer one): the newer stands
      }
      if (old == null && nodes.size() >= MAX_NODES) {
        throw new BadRecordException("table already holds " + MAX_NODES + " nodes");
      }
      nodes.put(key, new Parsed<>(raw, r));
      nodeGeneration.incrementAndGet();
      rejectedNodes.remove(key);
      return true;
    } catch (BadRecordException | RuntimeException e) { // a parser bug must not crash the event thread either
      if (nodes.remove(key) != null) {
        nodeGeneration.incrementAndGet();
      }
      reject(HazelcastClusterView.NODES, key, raw, rejectedNodes, e);
      return false;
    }
  }

  /** Holds a trusted record (in-memory view). */
  void putNode(NodeRecord r) {
    nodes.put(r.id(), new Parsed<>(r, r));
    nodeGeneration.incrementAndGet();
  }

  void removeNode(String key) {
    if (nodes.remove(key) != null) {
      nodeGeneration.incrementAndGet();
    }
    rejectedNodes.remove(key);
  }

  /** Parses and holds a raw {@code coedge.versions} value; a bad one is dropped and logged. */
  boolean putVersion(String key, Object raw) {
    Parsed<VersionRecord> old = versions.get(key);
    if (old != null && Objects.equals(old.raw(), raw)) {
      return true;
    }
    if (raw != null && Objects.equals(rejectedVersions.get(key), raw)) {
      return false;
    }
    try {
      VersionRecord r = RecordCodec.decodeVersion(key, raw);
      if (old == null && versions.size() >= MAX_VERSIONS) {
        throw new BadRecordException("table already holds " + MAX_VERSIONS + " versions");
      }
      if (!hlc.observe(r.published())) {
        garbageLog.warn("hlc", "version " + RecordCodec.clip(key) + " carries a timestamp far in the future ("
            + r.published() + "); kept, but this node's clock does not follow it");
      }
      versions.put(key, new Parsed<>(raw, r));
      rejectedVersions.remove(key);
      return true;
    } catch (BadRecordException | RuntimeException e) {
      versions.remove(key);
      reject(HazelcastClusterView.VERSIONS, key, raw, rejectedVersions, e);
      return false;
    } finally {
      versionSet = null;
    }
  }

  void putVersion(VersionRecord r) {
    versions.put(r.key(), new Parsed<>(r, r));
    versionSet = null;
  }

  void removeVersion(String key) {
    versions.remove(key);
    rejectedVersions.remove(key);
    versionSet = null;
  }

  /** Drops held entries whose keys are no longer in the map (full rescans heal missed removals). */
  void retain(Set<String> nodeKeys, Set<String> versionKeys) {
    if (nodes.keySet().retainAll(nodeKeys)) {
      nodeGeneration.incrementAndGet();
    }
    rejectedNodes.keySet().retainAll(nodeKeys);
    rejectedVersions.keySet().retainAll(versionKeys);
    if (versions.keySet().retainAll(versionKeys)) {
      versionSet = null;
    }
  }

  private void reject(String map, String key, Object raw, Map<String, Object> seen, Exception e) {
    if (raw != null) {
      if (seen.size() >= MAX_NODES) {
        seen.clear(); // bounded: worst case some garbage is counted and logged (rate-limited) again
      }
      seen.put(key, raw);
    }
    rejected.incrementAndGet();
    garbageLog.warn(map, "ignoring " + map + " entry '" + RecordCodec.clip(key) + "': " + e.getMessage());
  }

  /** Distinct malformed values seen (the same value under the same key counts once). */
  long rejected() {
    return rejected.get();
  }

  Optional<NodeRecord> record(String id) {
    Parsed<NodeRecord> p = nodes.get(id);
    return p == null ? Optional.empty() : Optional.of(p.value());
  }

  List<NodeEntry> nodes() {
    long now = clock.getAsLong();
    List<NodeEntry> out = new ArrayList<>(nodes.size());
    for (Parsed<NodeRecord> p : nodes.values()) {
      out.add(entry(p.value(), now));
    }
    out.sort(Comparator.comparing(NodeEntry::id));
    return out;
  }

  Optional<NodeEntry> node(String id) {
    return record(id).map(r -> entry(r, clock.getAsLong()));
  }

  private NodeEntry entry(NodeRecord r, long now) {
    long age = Math.max(0, now - r.writtenAt());
    return new NodeEntry(r, age, age <= staleAfterMs);
  }

  /** Usable nodes serving {@code model/version} with these bytes and this digest of bound data ("" = none). */
  List<NodeEntry> candidates(String model, String version, String sha256, String data) {
    return nodes().stream().filter(e -> e.usable() && e.record().serves(model, version, sha256)
        && e.record().data(model, version).equals(data)).toList();
  }

  /**
   * The records of every node but {@code self}, fresh or not, sorted by id: rebuilt only after the node table
   * changed, and then the same list object again when no record but {@code self}'s was replaced (a node rewrites
   * its own record every publish interval), so a reader may keep what it derived from it while it gets the same
   * object back. No clock, no copy on the way: cheap enough for every request.
   */
  List<NodeRecord> peers(String self) {
    long g = nodeGeneration.get();
    Peers p = peers;
    if (p.generation() == g) {
      return p.records();
    }
    List<NodeRecord> out = new ArrayList<>(nodes.size());
    for (Parsed<NodeRecord> n : nodes.values()) {
      if (!n.value().id().equals(self)) {
        out.add(n.value());
      }
    }
    out.sort(Comparator.comparing(NodeRecord::id));
    List<NodeRecord> records = sameRecords(p.records(), out) ? p.records() : List.copyOf(out);
    peers = new Peers(g, records);
    return records;
  }

  /** The same record objects in the same order (a record that was replaced is another object). */
  private static boolean sameRecords(List<NodeRecord> a, List<NodeRecord> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (a.get(i) != b.get(i)) {
        return false;
      }
    }
    return true;
  }

  /** The version entry under {@code key} ({@code kind/name/version/sha256}), if held. */
  Optional<VersionRecord> version(String key) {
    Parsed<VersionRecord> p = versions.get(key);
    return p == null ? Optional.empty() : Optional.of(p.value());
  }

  VersionSet versions() {
    VersionSet v = versionSet;
    if (v == null) {
      List<VersionRecord> all = new ArrayList<>();
      versions.values().forEach(p -> all.add(p.value()));
      v = VersionSet.of(all);
      versionSet = v;
    }
    return v;
  }
}
