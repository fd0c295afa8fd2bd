package io.coedge.cluster;

import java.util.List;

/** Small builders for records in tests. */
final class Records {

  private Records() {
  }

  /** A valid sha256 made of one repeated hex digit. */
  static String sha(char c) {
    return String.valueOf(c).repeat(64);
  }

  static NodeRecord.Model ready(String name, String version, String sha256) {
    return new NodeRecord.Model(name, version, sha256, true, 2, 0, 0, 1500.0, 1.0, 1500.0);
  }

  static NodeRecord node(String id, long writtenAt, NodeRecord.Model... models) {
    return new NodeRecord(id, "member-" + id, "cloud", "lab", "http://127.0.0.1:8080", "test", false, 1, writtenAt,
        List.of(models));
  }

  static NodeRecord draining(NodeRecord r) {
    return r.withWrite(r.member(), true, r.seq() + 1, r.writtenAt());
  }

  static VersionRecord version(String name, String version, String sha256, String publisher, long ms) {
    return new VersionRecord(Artifact.model(name, version, sha256, 1000), publisher,
        new HybridLogicalClock.Timestamp(ms, 0));
  }
}
