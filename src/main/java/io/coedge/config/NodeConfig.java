package io.coedge.config;

/** Who this node is: its id in the cluster, its role and its site. */
public record NodeConfig(String id, String role, String site) {

  static final ConfigKey ID = ConfigKey.of("node.id", "",
      "Node id, unique in the cluster; empty = `<hostname>-<http.port>`");
  static final ConfigKey ROLE = ConfigKey.of("node.role", "edge",
      "`edge` (may offload) or `cloud` (accepts offloads, never re-offloads)");
  static final ConfigKey SITE = ConfigKey.of("node.site", "local", "Site label shown in the node table");

  public static final String EDGE = "edge";
  public static final String CLOUD = "cloud";

  public NodeConfig {
    if (!EDGE.equals(role) && !CLOUD.equals(role)) {
      throw ConfigException.badValue(ROLE, role, "allowed: edge, cloud");
    }
    if (id == null || id.isBlank() || id.length() > 128 || !id.matches("[A-Za-z0-9._:-]+")) {
      throw ConfigException.badValue(ID, id, "allowed: 1-128 characters of letters, digits, . _ : -");
    }
  }

  public boolean isCloud() {
    return CLOUD.equals(role);
  }

  static NodeConfig from(ConfigSource s, int httpPort) {
    String id = s.string(ID);
    if (id.isEmpty()) {
      id = hostName() + "-" + httpPort;
    }
    return new NodeConfig(id, s.oneOf(ROLE, EDGE, CLOUD), s.string(SITE));
  }

  private static String hostName() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName().replaceAll("[^A-Za-z0-9._-]", "");
    } catch (java.net.UnknownHostException e) {
      return "coedge";
    }
  }
}
