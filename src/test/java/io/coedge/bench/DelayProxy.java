package io.coedge.bench;

import io.coedge.routing.WanEmulator;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The test {@link WanEmulator} as a process, for bench/faults.sh: a TCP proxy on 127.0.0.1:{@code listenPort} to
 * {@code host:port} whose round-trip delay is read (in ms) from {@code controlFile} every 100 ms (absent = 0), so
 * a script can add WAN delay where {@code tc netem} is missing.
 *
 * <p>Usage: {@code DelayProxy LISTEN_PORT HOST PORT CONTROL_FILE}
 */
public final class DelayProxy {

  private DelayProxy() {
  }

  public static void main(String[] args) throws Exception {
    WanEmulator link = new WanEmulator(args[1], Integer.parseInt(args[2]), 0, 10_000);
    link.start(Integer.parseInt(args[0]));
    Path control = Path.of(args[3]);
    System.out.println("delay proxy on 127.0.0.1:" + args[0] + " to " + args[1] + ":" + args[2]);
    double current = 0;
    while (true) {
      double rtt = Files.exists(control) ? Double.parseDouble(Files.readString(control).trim()) : 0;
      if (rtt != current) {
        link.rttMs(rtt);
        current = rtt;
      }
      Thread.sleep(100);
    }
  }
}
