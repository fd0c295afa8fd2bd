package io.coedge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The start-up checks a clustered node's Hazelcast settings must pass (docs/adr/cluster-hardening.md). */
class ClusterHardeningTest {

  private static ClusterConfig cluster(String... keyValues) {
    Map<String, String> m = new HashMap<>();
    m.put("cluster.name", "site-a");
    m.put("cluster.host", "10.8.0.1");
    m.put("cluster.members", "10.8.0.2:5701,10.8.0.3:5701");
    for (int i = 0; i < keyValues.length; i += 2) {
      m.put(keyValues[i], keyValues[i + 1]);
    }
    return CoedgeConfig.from(ConfigSource.of(m)).cluster();
  }

  private static void refused(String key, String value, String allowed, String... keyValues) {
    ConfigException e = assertThrows(ConfigException.class, () -> cluster(keyValues));
    String msg = e.getMessage();
    assertTrue(msg.contains("'" + key + "'") && msg.contains("'" + value + "'") && msg.contains(allowed), msg);
  }

  @Test
  void privateMembersWithAnOwnNameAndAConcreteInterfaceStart() {
    ClusterConfig c = cluster();
    assertEquals(List.of("10.8.0.2:5701", "10.8.0.3:5701"), c.members());
    assertFalse(c.standalone());
  }

  @Test
  void theDefaultClusterNameIsRefusedOnceMembersAreSet() {
    refused("cluster.name", "coedge-dev", "a name of your own", "cluster.name", "coedge-dev");
    // Standalone keeps the default: its member is on loopback with no join method.
    assertTrue(cluster("cluster.name", "coedge-dev", "cluster.members", "").standalone());
  }

  @Test
  void aWildcardOrHostNameBindAddressIsRefused() {
    refused("cluster.host", "0.0.0.0", "the IP address of one interface", "cluster.host", "0.0.0.0");
    refused("cluster.host", "::", "the IP address of one interface", "cluster.host", "::");
    refused("cluster.host", "edge-1.local", "the IP address of one interface", "cluster.host", "edge-1.local");
    refused("cluster.host", "300.1.1.1", "the IP address of one interface", "cluster.host", "300.1.1.1");
  }

  @Test
  void aPublicBindAddressNeedsAnOverlay() {
    refused("cluster.host", "203.0.113.7", "unless cluster.overlay names", "cluster.host", "203.0.113.7");
    assertEquals("declared", cluster("cluster.host", "203.0.113.7", "cluster.overlay", "declared").overlay());
  }

  @Test
  void publicOrNamedMembersNeedAnOverlay() {
    refused("cluster.members", "10.8.0.2:5701,198.51.100.9:5701", "not so: 198.51.100.9:5701",
        "cluster.members", "10.8.0.2:5701,198.51.100.9:5701");
    refused("cluster.members", "cloud-1.example:5701", "not so: cloud-1.example:5701",
        "cluster.members", "cloud-1.example:5701");
    refused("cluster.members", "[2001:db8::1]:5701", "not so: [2001:db8::1]:5701",
        "cluster.members", "[2001:db8::1]:5701");
    assertEquals(List.of("cloud-1.example:5701", "198.51.100.9:5701"),
        cluster("cluster.members", "cloud-1.example:5701,198.51.100.9:5701", "cluster.overlay", "declared").members(),
        "with an overlay declared they are taken as given");
  }

  @Test
  void loopbackRfc1918LinkLocalAndUniqueLocalAddressesArePrivate() {
    for (String a : List.of("127.0.0.1", "10.1.2.3", "172.16.0.1", "172.31.255.254", "192.168.1.1", "169.254.3.4",
        "::1", "fe80::1", "fd12:3456::1", "fc00::1")) {
      assertTrue(MemberNetwork.isPrivate(MemberNetwork.literal(a)), a);
    }
    for (String a : List.of("8.8.8.8", "172.32.0.1", "100.64.0.1", "203.0.113.7", "2001:db8::1", "fe00::1")) {
      assertFalse(MemberNetwork.isPrivate(MemberNetwork.literal(a)), a);
    }
  }

  @Test
  void anOverlayInterfaceMustExistAndCarryTheBindAddress() {
    refused("cluster.overlay", "nosuch-wg9", "an existing network interface",
        "cluster.host", "203.0.113.7", "cluster.overlay", "nosuch-wg9");
    refused("cluster.overlay", "lo", "the interface that carries cluster.host (203.0.113.7)",
        "cluster.host", "203.0.113.7", "cluster.overlay", "lo");
    refused("cluster.overlay", "wg0; rm", "a network interface name",
        "cluster.host", "203.0.113.7", "cluster.overlay", "wg0; rm");
    // The loopback interface does carry 127.0.0.1: an interface name that matches is accepted.
    assertEquals("lo", cluster("cluster.host", "127.0.0.1", "cluster.overlay", "lo").overlay());
  }

  @Test
  void anUnclusteredNodeIsNotChecked() {
    assertFalse(cluster("cluster.enabled", "false", "cluster.name", "coedge-dev", "cluster.host", "0.0.0.0")
        .enabled());
  }
}
