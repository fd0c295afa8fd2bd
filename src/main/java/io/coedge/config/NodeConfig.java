package io.coedge.config;

/**
 * Who this node is: its id in the cluster, its role and its site; and how long a stop may drain.
 *
 * @param drainTimeoutS on SIGTERM or close, how long admitted requests have to be answered before what is left
 *                      fails with 503
 * @param drainLingerMs once they are answered and the listeners closed, how long connections still open stay open
 *                      so that a request already on its way on one is answered 503 rather than cut
 */
public record NodeConfig(String id, String role, String site, int drainTimeoutS, int drainLingerMs) {

  static final ConfigKey ID = ConfigKey.of("node.id", "",
      "Node id, unique in the cluster; empty = `<hostname>-<http.port>`");
  static final ConfigKey ROLE = ConfigKey.of("node.role", "edge",
      "`edge` (may offload to regional or cloud nodes), `regional` (serves, may forward to cloud nodes) or `cloud` "
          + "(accepts offloads, never forwards)");
  static final ConfigKey SITE = ConfigKey.of("node.site", "local", "Site label shown in the node table");
  static final ConfigKey DRAIN_TIMEOUT = ConfigKey.of("node.drain-timeout-s", "30",
      "On SIGTERM: seconds to answer admitted requests (new ones refused) before the rest fail with 503");
  public static final int DEFAULT_DRAIN_TIMEOUT_S = 30;
  static final ConfigKey DRAIN_LINGER = ConfigKey.of("node.drain-linger-ms", "500",
      "On SIGTERM, once admitted requests are answered and the listeners closed: milliseconds open connections stay "
          + "open, so a request already on its way on one gets 503 + `Connection: close` rather than a cut connection");
  public static final int DEFAULT_DRAIN_LINGER_MS = 500;

  public static final String EDGE = "edge";
  public static final String CLOUD = "cloud";
  /** Between edge and cloud: serves requests and may forward them to cloud nodes (never back down). */
  public static final String REGIONAL = "regional";

  public NodeConfig {
    if (!EDGE.equals(role) && !REGIONAL.equals(role) && !CLOUD.equals(role)) {
      throw ConfigException.badValue(ROLE, role, "allowed: edge, regional, cloud");
    }
    if (id == null || id.isBlank() || id.length() > 128 || !id.matches("[A-Za-z0-9._:-]+")) {
      throw ConfigException.badValue(ID, id, "allowed: 1-128 characters of letters, digits, . _ : -");
    }
    if (drainTimeoutS < 0 || drainTimeoutS > 3600) {
      throw ConfigException.badValue(DRAIN_TIMEOUT, Integer.toString(drainTimeoutS), "allowed: 0-3600");
    }
    if (drainLingerMs < 0 || drainLingerMs > 60_000) {
      throw ConfigException.badValue(DRAIN_LINGER, Integer.toString(drainLingerMs), "allowed: 0-60000");
    }
  }

  public NodeConfig(String id, String role, String site) {
    this(id, role, site, DEFAULT_DRAIN_TIMEOUT_S, DEFAULT_DRAIN_LINGER_MS);
  }

  public boolean isCloud() {
    return CLOUD.equals(role);
  }

  static NodeConfig from(ConfigSource s, int httpPort) {
    String id = s.string(ID);
    if (id.isEmpty()) {
      id = hostName() + "-" + httpPort;
    }
    return new NodeConfig(id, s.oneOf(ROLE, EDGE, REGIONAL, CLOUD), s.string(SITE), s.intValue(DRAIN_TIMEOUT, 0, 3600),
        s.intValue(DRAIN_LINGER, 0, 60_000));
  }

  private static String hostName() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName().replaceAll("[^A-Za-z0-9._-]", "");
    } catch (java.net.UnknownHostException e) {
      return "coedge";
    }
  }
}
