package io.coedge.config;

import java.util.List;

/**
 * Hazelcast membership and the shared tables' timing. No members = standalone: one embedded member
 * bound to loopback.
 */
public record ClusterConfig(
    boolean enabled,
    String name,
    String host,
    int port,
    List<String> members,
    long publishIntervalMs,
    long staleAfterMs) {

  static final ConfigKey ENABLED = ConfigKey.of("cluster.enabled", "true",
      "`false` = no Hazelcast at all (single box, smallest footprint); the cluster endpoints then show this node only");
  static final ConfigKey NAME = ConfigKey.of("cluster.name", "coedge-dev",
      "Hazelcast cluster name; must not be the default `dev`");
  static final ConfigKey HOST = ConfigKey.of("cluster.host", "127.0.0.1",
      "Interface Hazelcast binds to and advertises");
  static final ConfigKey PORT = ConfigKey.of("cluster.port", "5701", "Hazelcast member port (0 = any free port)");
  static final ConfigKey MEMBERS = ConfigKey.of("cluster.members", "",
      "Comma-separated `host:port` of other members; empty = standalone");
  static final ConfigKey PUBLISH = ConfigKey.of("cluster.publish-interval-ms", "250",
      "How often a node re-publishes its record");
  static final ConfigKey STALE = ConfigKey.of("cluster.stale-after-ms", "2000",
      "Records older than this are treated as absent");

  public ClusterConfig {
    members = List.copyOf(members);
    if ("dev".equals(name)) {
      throw ConfigException.badValue(NAME, name, "allowed: any name except Hazelcast's default `dev`");
    }
    for (String m : members) {
      if (!m.matches("[A-Za-z0-9.\\-\\[\\]:]+:\\d{1,5}")) {
        throw ConfigException.badValue(MEMBERS, String.join(",", members), "allowed: host:port,host:port");
      }
    }
    if (staleAfterMs <= publishIntervalMs) {
      throw ConfigException.badValue(STALE, String.valueOf(staleAfterMs),
          "allowed: more than cluster.publish-interval-ms (" + publishIntervalMs + ")");
    }
  }

  public boolean standalone() {
    return members.isEmpty();
  }

  static ClusterConfig from(ConfigSource s) {
    return new ClusterConfig(s.bool(ENABLED), s.string(NAME), s.string(HOST), s.intValue(PORT, 0, 65535), s.list(MEMBERS),
        s.longValue(PUBLISH, 10, 60_000), s.longValue(STALE, 20, 600_000));
  }
}
