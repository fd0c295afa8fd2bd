package io.coedge.config;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Where Hazelcast member traffic may run (docs/adr/cluster-hardening.md). Open-source Hazelcast neither encrypts
 * nor authenticates members, so a clustered node refuses to start unless it binds one concrete IP address and
 * every address it talks to is private (loopback, RFC 1918, link-local, IPv6 ULA), or the operator names the
 * encrypted overlay the traffic runs on in {@code cluster.overlay}. A member given by host name counts as not
 * private: what it resolves to is not known when the config is read, and no DNS look-up happens here.
 */
final class MemberNetwork {

  static final String DECLARED = "declared";
  private static final String OCTET = "(25[0-5]|2[0-4]\\d|1?\\d?\\d)";
  private static final Pattern IPV4 = Pattern.compile("(" + OCTET + "\\.){3}" + OCTET);
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
  private static final Pattern INTERFACE = Pattern.compile("[A-Za-z0-9_.\\-]{1,15}");

  private MemberNetwork() {
  }

  static final String AUTO = "auto";

  /**
   * {@code cluster.host: auto} (containers, whose address is known only once they run): the first private IPv4
   * address of an interface that is up and not loopback, else its first IPv4 address (which {@link #check}
   * then accepts only with an overlay).
   */
  static String resolve(ConfigKey hostKey, String host) {
    if (!AUTO.equals(host)) {
      return host;
    }
    List<InetAddress> found = new ArrayList<>();
    try {
      for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (nic.isUp() && !nic.isLoopback()) {
          Collections.list(nic.getInetAddresses()).stream().filter(a -> a instanceof Inet4Address).forEach(found::add);
        }
      }
    } catch (SocketException e) {
      throw ConfigException.badValue(hostKey, host, "cannot list the network interfaces: " + e.getMessage());
    }
    return found.stream().filter(MemberNetwork::isPrivate).findFirst().or(() -> found.stream().findFirst())
        .map(InetAddress::getHostAddress).orElseThrow(() -> ConfigException.badValue(hostKey, host,
            "no interface but loopback is up; allowed: the IP address of one interface"));
  }

  static void check(ConfigKey hostKey, String host, ConfigKey membersKey, List<String> members,
      ConfigKey overlayKey, String overlay) {
    InetAddress bind = literal(host);
    if (bind == null || bind.isAnyLocalAddress()) {
      throw ConfigException.badValue(hostKey, host, "allowed: the IP address of one interface (not a wildcard "
          + "or host name) once cluster.members is set");
    }
    if (!overlay.isEmpty() && !DECLARED.equals(overlay)) {
      checkInterface(overlayKey, overlay, bind);
      return;
    }
    if (DECLARED.equals(overlay)) {
      return;
    }
    if (!isPrivate(bind)) {
      throw ConfigException.badValue(hostKey, host, "allowed: a loopback, private or link-local address, unless "
          + "cluster.overlay names the encrypted overlay (Hazelcast traffic is neither encrypted nor authenticated)");
    }
    List<String> exposed = new ArrayList<>();
    for (String m : members) {
      InetAddress a = literal(m.substring(0, m.lastIndexOf(':')));
      if (a == null || !isPrivate(a)) {
        exposed.add(m);
      }
    }
    if (!exposed.isEmpty()) {
      throw ConfigException.badValue(membersKey, String.join(",", members), "allowed without cluster.overlay: "
          + "loopback, private or link-local IP addresses only; not so: " + String.join(",", exposed)
          + " (Hazelcast traffic is neither encrypted nor authenticated; name the overlay in cluster.overlay)");
    }
  }

  /** Loopback, RFC 1918, link-local (IPv4 and IPv6) or IPv6 unique local (fc00::/7). */
  static boolean isPrivate(InetAddress a) {
    if (a.isLoopbackAddress() || a.isLinkLocalAddress()) {
      return true;
    }
    if (a instanceof Inet4Address) {
      return a.isSiteLocalAddress();
    }
    return a instanceof Inet6Address && (a.getAddress()[0] & 0xfe) == 0xfc;
  }

  /** The address an IP literal names (brackets allowed around IPv6), or null when it is not an IP literal. */
  static InetAddress literal(String host) {
    String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    if (!IPV4.matcher(h).matches() && !IPV6.matcher(h).matches()) {
      return null;
    }
    try {
      return InetAddress.getByName(h); // a literal: parsed, never looked up
    } catch (UnknownHostException e) {
      return null;
    }
  }

  private static void checkInterface(ConfigKey overlayKey, String name, InetAddress bind) {
    if (!INTERFACE.matcher(name).matches()) {
      throw ConfigException.badValue(overlayKey, name, "allowed: empty, `declared` or a network interface name");
    }
    NetworkInterface nic;
    try {
      nic = NetworkInterface.getByName(name);
    } catch (SocketException e) {
      nic = null;
    }
    if (nic == null) {
      throw ConfigException.badValue(overlayKey, name, "allowed: an existing network interface (none is called "
          + name + ") or `declared`");
    }
    if (!Collections.list(nic.getInetAddresses()).contains(bind)) {
      throw ConfigException.badValue(overlayKey, name, "allowed: the interface that carries cluster.host ("
          + bind.getHostAddress() + "); " + name + " does not");
    }
  }
}
