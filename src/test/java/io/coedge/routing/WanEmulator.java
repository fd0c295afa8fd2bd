package io.coedge.routing;

import io.netty.channel.EventLoop;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A TCP proxy standing in for the WAN between an edge and one cloud node: adds a one-way delay in each
 * direction, caps the bandwidth of the link (shared by all its connections, per direction), and on command
 * cuts the link (open connections closed, new ones refused), black-holes it (bytes silently dropped), or
 * makes the far side answer every HTTP request with a fast 503. Runs on its own single event loop, so its
 * state needs no locks. Test code.
 */
public final class WanEmulator implements AutoCloseable {

  private static final Buffer FAST_503 = Buffer.buffer("HTTP/1.1 503 Service Unavailable\r\nretry-after: 1\r\n"
      + "content-type: application/json\r\ncontent-length: 21\r\nconnection: close\r\n\r\n{\"error\":\"overload\"}\n");

  /** One direction of the link: bytes leave one after another at the capped rate, then fly for the delay. */
  private final class Direction {
    long freeAtNanos;
    volatile long bytes;

    long deliverAt(int bytes) {
      this.bytes += bytes; // one event loop writes it
      long now = System.nanoTime();
      long start = Math.max(now, freeAtNanos);
      freeAtNanos = start + (long) (bytes * 8_000.0 / mbps); // 1 Mbit/s = 1 bit per µs = 1000 ns per bit
      return freeAtNanos + oneWayDelayNanos;
    }
  }

  /** Bytes of one connection in one direction, in order, each with the time it arrives. */
  private final class Pipe {
    final NetSocket to;
    final Direction link;
    final ArrayDeque<Object[]> queue = new ArrayDeque<>();
    boolean armed;

    Pipe(NetSocket to, Direction link) {
      this.to = to;
      this.link = link;
    }

    void send(Buffer data) {
      queue.add(new Object[] {link.deliverAt(data.length()), data});
      arm();
    }

    private void arm() {
      if (armed || queue.isEmpty()) {
        return;
      }
      armed = true;
      long wait = (long) queue.peek()[0] - System.nanoTime();
      // Netty's scheduler, not setTimer: sub-millisecond precision, on the same (only) event loop.
      loop.schedule(() -> {
        armed = false;
        long now = System.nanoTime();
        while (!queue.isEmpty() && (long) queue.peek()[0] <= now) {
          to.write((Buffer) queue.poll()[1]);
        }
        arm();
      }, Math.max(0, wait), TimeUnit.NANOSECONDS);
    }
  }

  private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
  private final EventLoop loop = (EventLoop) ((VertxInternal) vertx).nettyEventLoopGroup().next();
  private final String targetHost;
  private final int targetPort;
  private final Direction up = new Direction();
  private final Direction down = new Direction();
  private final Set<NetSocket> open = new HashSet<>();
  private volatile long oneWayDelayNanos;
  private volatile double mbps;
  private volatile boolean cut;
  private volatile boolean blackhole;
  private volatile boolean answer503;
  private NetServer server;
  private NetClient client;

  /** A link of {@code rttMs} round trip and {@code mbps} each way to {@code targetHost:targetPort}. */
  public WanEmulator(String targetHost, int targetPort, double rttMs, double mbps) {
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    this.oneWayDelayNanos = (long) (rttMs * 500_000);
    this.mbps = mbps;
  }

  /** Listens on {@code port} (0 = any free one) on loopback; completes with the port. */
  public int start(int port) throws Exception {
    client = vertx.createNetClient();
    server = vertx.createNetServer().connectHandler(this::accept);
    return server.listen(port, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)
        .actualPort();
  }

  private void accept(NetSocket in) {
    if (cut) {
      in.close();
      return;
    }
    in.pause();
    open.add(in);
    in.closeHandler(v -> open.remove(in));
    if (answer503) {
      in.handler(b -> in.write(FAST_503).onComplete(x -> in.close()));
      in.resume();
      return;
    }
    client.connect(targetPort, targetHost).onComplete(ar -> {
      if (ar.failed()) {
        in.close();
        return;
      }
      NetSocket out = ar.result();
      open.add(out);
      Pipe toCloud = new Pipe(out, up);
      Pipe toEdge = new Pipe(in, down);
      in.handler(b -> {
        if (answer503) {
          in.write(FAST_503).onComplete(x -> in.close());
        } else if (!blackhole) {
          toCloud.send(b);
        }
      });
      out.handler(b -> {
        if (!blackhole) {
          toEdge.send(b);
        }
      });
      in.closeHandler(v -> {
        open.remove(in);
        out.close();
      });
      out.closeHandler(v -> {
        open.remove(out);
        in.close();
      });
      in.resume();
    });
  }

  /** Runs {@code action} on the emulator's event loop and waits for it. */
  private void onLoop(Runnable action) {
    try {
      Future.<Void>future(p -> vertx.runOnContext(v -> {
        action.run();
        p.complete();
      })).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Changes the link's round trip from now on (bytes already in flight keep theirs). */
  public void rttMs(double rttMs) {
    oneWayDelayNanos = (long) (rttMs * 500_000);
  }

  /** Cuts the link: open connections are closed, new ones refused, until {@link #heal()}. */
  /** Bytes sent towards the far side (uploads) since the link started. */
  public long bytesUp() {
    return up.bytes;
  }

  /** Changes the link's bandwidth (each way) for the bytes sent from now on. */
  public void rate(double mbps) {
    this.mbps = mbps;
  }

  public void cut() {
    cut = true;
    onLoop(() -> Set.copyOf(open).forEach(NetSocket::close));
  }

  /** Bytes are silently dropped (connections stay open, nothing arrives) until {@link #heal()}. */
  public void blackhole() {
    blackhole = true;
  }

  /** The far side answers every request with a fast 503 until {@link #heal()}. */
  public void answer503() {
    answer503 = true;
  }

  /** Back to a working link. */
  public void heal() {
    cut = false;
    blackhole = false;
    answer503 = false;
  }

  @Override
  public void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
