package io.coedge.config;

import java.util.List;

/**
 * Hazelcast membership, failure detection and the shared tables' timing. No members = standalone: one
 * embedded member bound to loopback.
 *
 * @param heartbeatSeconds      how often members heartbeat each other (Hazelcast counts in whole seconds)
 * @param maxNoHeartbeatSeconds silence after which a member is declared dead and removed
 * @param mergeDelaySeconds     how often the oldest member looks for a split-off cluster to merge with
 * @param advertiseUrl          this node's HTTP URL as peers should call it; empty = derived from http.*
 * @param overlay               the encrypted overlay Hazelcast traffic runs on: empty (none), {@code declared}, or
 *                              the overlay's interface name (checked to carry {@code host}); see {@link MemberNetwork}
 */
public record ClusterConfig(
    boolean enabled,
    String name,
    String host,
    int port,
    List<String> members,
    long publishIntervalMs,
    long staleAfterMs,
    int heartbeatSeconds,
    int maxNoHeartbeatSeconds,
    int mergeDelaySeconds,
    String advertiseUrl,
    String overlay) {

  static final ConfigKey ENABLED = ConfigKey.of("cluster.enabled", "true",
      "`false` = no Hazelcast at all (single box, smallest footprint); the cluster endpoints then show this node only");
  static final ConfigKey NAME = ConfigKey.of("cluster.name", "coedge-dev",
      "Hazelcast cluster name; must not be Hazelcast's `dev`, nor this default once `cluster.members` is set");
  static final ConfigKey HOST = ConfigKey.of("cluster.host", "127.0.0.1",
      "Interface (IP address) Hazelcast binds to and advertises, or `auto` (the first private IPv4 address of an "
          + "interface that is up: containers); standalone always uses 127.0.0.1");
  static final ConfigKey PORT = ConfigKey.of("cluster.port", "5701", "Hazelcast member port (0 = any free port)");
  static final ConfigKey MEMBERS = ConfigKey.of("cluster.members", "",
      "Comma-separated `host:port` of other members; empty = standalone");
  static final ConfigKey PUBLISH = ConfigKey.of("cluster.publish-interval-ms", "250",
      "How often a node re-publishes its record");
  static final ConfigKey STALE = ConfigKey.of("cluster.stale-after-ms", "2000",
      "Records older than this are treated as absent");
  static final ConfigKey HEARTBEAT = ConfigKey.of("cluster.heartbeat-s", "1",
      "Hazelcast heartbeat interval (seconds)");
  static final ConfigKey MAX_NO_HEARTBEAT = ConfigKey.of("cluster.max-no-heartbeat-s", "5",
      "A member silent this long is declared dead and removed (seconds)");
  static final ConfigKey MERGE_DELAY = ConfigKey.of("cluster.merge-delay-s", "10",
      "After a partition, how often members look for the other side to merge with (seconds)");
  static final ConfigKey ADVERTISE_URL = ConfigKey.of("cluster.advertise-url", "",
      "This node's URL as peers should call it; empty = `http://<http.host or cluster.host>:<http port>` "
          + "(`https://` when `security.tls.cert` is set)");

  static final ConfigKey OVERLAY = ConfigKey.of("cluster.overlay", "",
      "The encrypted overlay (WireGuard or similar) Hazelcast traffic runs on: its interface name (e.g. `wg0`, "
          + "checked to carry `cluster.host`) or `declared`; required when members or `cluster.host` are "
          + "not on loopback/private/link-local addresses");

  public ClusterConfig {
    members = List.copyOf(members);
    if ("dev".equals(name)) {
      throw ConfigException.badValue(NAME, name, "allowed: any name except Hazelcast's default `dev`");
    }
    if (enabled && !members.isEmpty() && NAME.defaultValue().equals(name)) {
      throw ConfigException.badValue(NAME, name, "allowed: a name of your own once cluster.members is set "
          + "(the default would let any other default-configured node join)");
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
    if (maxNoHeartbeatSeconds < 2 * heartbeatSeconds) {
      throw ConfigException.badValue(MAX_NO_HEARTBEAT, String.valueOf(maxNoHeartbeatSeconds),
          "allowed: at least twice cluster.heartbeat-s (" + heartbeatSeconds + ")");
    }
    if (!advertiseUrl.isEmpty() && !advertiseUrl.matches("https?://[^\\s/]+(:\\d{1,5})?/?")) {
      throw ConfigException.badValue(ADVERTISE_URL, advertiseUrl, "allowed: empty or http(s)://host[:port]");
    }
    if (enabled && !members.isEmpty()) {
      MemberNetwork.check(HOST, host, MEMBERS, members, OVERLAY, overlay);
    }
  }

  public boolean standalone() {
    return members.isEmpty();
  }

  static ClusterConfig from(ConfigSource s) {
    return new ClusterConfig(s.bool(ENABLED), s.string(NAME), MemberNetwork.resolve(HOST, s.string(HOST)),
        s.intValue(PORT, 0, 65535),
        s.list(MEMBERS),
        s.longValue(PUBLISH, 10, 60_000), s.longValue(STALE, 20, 600_000), s.intValue(HEARTBEAT, 1, 60),
        s.intValue(MAX_NO_HEARTBEAT, 2, 600), s.intValue(MERGE_DELAY, 1, 3600), s.string(ADVERTISE_URL),
        s.string(OVERLAY));
  }
}
