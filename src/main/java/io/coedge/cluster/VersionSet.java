package io.coedge.cluster;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An immutable snapshot of {@code coedge.versions} and what follows from it, as pure functions of the set
 * (not of arrival order, publisher or timestamps), so every node holding the same entries answers the same.
 *
 * <p><b>Current version</b> of an artifact {@code (kind, name)}: among its versions that have exactly one
 * sha256, the highest in {@link #VERSION_ORDER}. A version with two or more sha256 is a <b>conflict</b>: it is
 * reported and never current, so a conflicting publication of v3 leaves v2 current rather than picking a winner.
 */
public final class VersionSet {

  /** Two or more different sha256 published for one {@code kind/name/version}, sorted by sha256. */
  public record Conflict(String kind, String name, String version, List<VersionRecord> entries) {
  }

  /** All entries of one artifact, highest version first, and its current version (null when none). */
  public record Versions(String kind, String name, VersionRecord current, List<VersionRecord> entries) {
  }

  /**
   * Decimal versions (up to 18 digits) compare as numbers and sort before all others; others compare as
   * strings; equal numbers written differently ("01", "1") fall back to string order, so the order is total.
   */
  public static final Comparator<String> VERSION_ORDER = (a, b) -> {
    boolean na = a.matches("\\d{1,18}");
    boolean nb = b.matches("\\d{1,18}");
    if (na && nb) {
      int c = Long.compare(Long.parseLong(a), Long.parseLong(b));
      return c != 0 ? c : a.compareTo(b);
    }
    return na ? -1 : nb ? 1 : a.compareTo(b);
  };

  private static final Comparator<VersionRecord> ENTRY_ORDER = Comparator
      .comparing((VersionRecord r) -> r.artifact().kind())
      .thenComparing(r -> r.artifact().name())
      .thenComparing((VersionRecord r) -> r.artifact().version(), VERSION_ORDER.reversed())
      .thenComparing(r -> r.artifact().sha256());

  public static final VersionSet EMPTY = of(List.of());

  private final List<VersionRecord> records;
  private final Map<String, Versions> artifacts = new LinkedHashMap<>();
  private final List<Conflict> conflicts = new ArrayList<>();

  private VersionSet(List<VersionRecord> sorted) {
    this.records = sorted;
    int i = 0;
    while (i < sorted.size()) {
      Artifact a = sorted.get(i).artifact();
      int end = i;
      while (end < sorted.size() && sameArtifact(sorted.get(end).artifact(), a)) {
        end++;
      }
      List<VersionRecord> entries = sorted.subList(i, end);
      artifacts.put(a.kind() + '/' + a.name(), new Versions(a.kind(), a.name(), current(entries), entries));
      i = end;
    }
  }

  public static VersionSet of(Collection<VersionRecord> records) {
    List<VersionRecord> sorted = new ArrayList<>(records);
    sorted.sort(ENTRY_ORDER);
    return new VersionSet(List.copyOf(sorted));
  }

  private static boolean sameArtifact(Artifact x, Artifact y) {
    return x.kind().equals(y.kind()) && x.name().equals(y.name());
  }

  /** Walks versions highest first; records conflicts on the way; returns the first unambiguous one. */
  private VersionRecord current(List<VersionRecord> entries) {
    VersionRecord found = null;
    int i = 0;
    while (i < entries.size()) {
      Artifact a = entries.get(i).artifact();
      int end = i;
      while (end < entries.size() && entries.get(end).artifact().version().equals(a.version())) {
        end++;
      }
      if (end - i > 1) {
        conflicts.add(new Conflict(a.kind(), a.name(), a.version(), entries.subList(i, end)));
      } else if (found == null) {
        found = entries.get(i);
      }
      i = end;
    }
    return found;
  }

  /** The current version of {@code kind/name}, as defined in the class comment; empty when there is none. */
  public Optional<VersionRecord> current(String kind, String name) {
    Versions v = artifacts.get(kind + '/' + name);
    return v == null ? Optional.empty() : Optional.ofNullable(v.current());
  }

  /** Every conflict, in kind, name, version (highest first) order. */
  public List<Conflict> conflicts() {
    return List.copyOf(conflicts);
  }

  /** Every artifact, in kind then name order. */
  public List<Versions> artifacts() {
    return List.copyOf(artifacts.values());
  }

  /** Every entry in a deterministic order. */
  public List<VersionRecord> records() {
    return records;
  }

  public int size() {
    return records.size();
  }
}
