package io.coedge;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free TCP ports for servers a test starts later. Taken from 20000–31999, below Linux's ephemeral range
 * (32768–60999): a port from {@code new ServerSocket(0)} is an ephemeral one, and between the check and the
 * server's bind an outgoing connection of this machine could take it (it happened: "Port [34175] is already in
 * use" from Hazelcast in CI-like runs). Random within the range, never the same twice in this JVM.
 */
public final class Ports {

  private static final int FROM = 20_000;
  private static final int TO = 32_000;
  private static final Set<Integer> GIVEN = ConcurrentHashMap.newKeySet();

  private Ports() {
  }

  /** A port nothing listens on now, on {@code host} and on the wildcard address. */
  public static int free(String host) {
    for (int attempt = 0; attempt < 1000; attempt++) {
      int port = ThreadLocalRandom.current().nextInt(FROM, TO);
      if (GIVEN.contains(port)) {
        continue;
      }
      try (ServerSocket wildcard = new ServerSocket(port);
           ServerSocket local = new ServerSocket()) {
        wildcard.close();
        local.bind(new java.net.InetSocketAddress(InetAddress.getByName(host), port));
      } catch (IOException taken) {
        continue;
      }
      if (GIVEN.add(port)) {
        return port;
      }
    }
    throw new IllegalStateException("no free port in " + FROM + "-" + TO + " after 1000 tries");
  }

  /** {@link #free(String)} on loopback. */
  public static int free() {
    return free("127.0.0.1");
  }
}
