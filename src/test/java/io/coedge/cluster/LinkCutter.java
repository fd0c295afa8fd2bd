package io.coedge.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy in front of one Hazelcast member that can cut the links to chosen peers, like a firewall.
 * Every member binds a distinct loopback address (127.0.0.x) and connects out from it, so the proxy tells
 * peers apart by source address: {@link #block} closes their open connections and refuses new ones until
 * {@link #unblock}. Test code only; plain threads, as the connection count is tiny.
 */
final class LinkCutter implements AutoCloseable {

  private record Link(String source, Socket in, Socket out) {
    void close() {
      quietly(in);
      quietly(out);
    }
  }

  private final ServerSocket server;
  private final InetSocketAddress target;
  private final Set<Link> links = ConcurrentHashMap.newKeySet();
  private volatile Set<String> blocked = Set.of();

  LinkCutter(String host, int port, int targetPort) throws IOException {
    server = new ServerSocket(port, 50, InetAddress.getByName(host));
    target = new InetSocketAddress(host, targetPort);
    Thread t = new Thread(this::acceptLoop, "link-cutter-" + host + ":" + port);
    t.setDaemon(true);
    t.start();
  }

  /** Cuts every link from these source addresses, now and until {@link #unblock()}. */
  void block(Set<String> sources) {
    blocked = Set.copyOf(sources);
    links.removeIf(l -> {
      if (sources.contains(l.source())) {
        l.close();
        return true;
      }
      return false;
    });
  }

  void unblock() {
    blocked = Set.of();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket in = server.accept();
        String source = in.getInetAddress().getHostAddress();
        if (blocked.contains(source)) {
          quietly(in);
          continue;
        }
        Socket out = new Socket();
        out.connect(target, 2_000);
        Link link = new Link(source, in, out);
        links.add(link);
        pump(link, in, out);
        pump(link, out, in);
      } catch (IOException e) {
        // accept failed (closing) or the member is down: the peer sees a closed connection, as it would
      }
    }
  }

  private void pump(Link link, Socket from, Socket to) {
    Thread t = new Thread(() -> {
      byte[] buf = new byte[16 * 1024];
      try (InputStream is = from.getInputStream(); OutputStream os = to.getOutputStream()) {
        int n;
        while ((n = is.read(buf)) > 0) {
          os.write(buf, 0, n);
        }
      } catch (IOException e) {
        // link cut or closed
      } finally {
        link.close();
        links.remove(link);
      }
    }, "link-pump");
    t.setDaemon(true);
    t.start();
  }

  private static void quietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // closing anyway
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    links.forEach(Link::close);
    links.clear();
  }
}
