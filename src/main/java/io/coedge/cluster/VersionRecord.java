package io.coedge.cluster;

/**
 * An entry of {@code coedge.versions}: an artifact and who first published it, when (HLC). Entries are
 * never overwritten with different facts; re-assertion writes back the same value.
 */
public record VersionRecord(Artifact artifact, String publisher, HybridLogicalClock.Timestamp published) {

  public VersionRecord {
    if (artifact == null || published == null || !NodeRecord.validId(publisher)) {
      throw new IllegalArgumentException("version record needs an artifact, a valid publisher id and a timestamp");
    }
  }

  public String key() {
    return artifact.key();
  }
}
