package io.coedge.api;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.impl.Http1xServerConnection;
import io.vertx.core.net.impl.ShutdownEvent;
import java.util.concurrent.TimeUnit;

/**
 * Holds the listener's shutdown back from one HTTP/1.x connection for a linger period, so the listener closes first
 * and the connection a little later.
 *
 * <p>When a Vert.x server shuts down it closes its listening socket, then tells every connection; an HTTP/1.x
 * connection with no answer in progress closes at once and drops whatever request arrives after that. A connection
 * the listener accepted a moment before it closed, whose request was still on its way, was cut without an answer,
 * and so was a kept-alive connection a client picked up just then: the client cannot know whether the request ran.
 * Held back, such a request is read and answered (503 and {@code Connection: close} while the node drains), and new
 * connections are refused meanwhile, which a client knows is safe to send elsewhere. A connection idle through the
 * whole drain and the linger can still race its close; that is HTTP/1.1's own race on any idle connection.
 *
 * <p>HTTP/2 connections are not held: their shutdown is a GOAWAY, which tells the client which streams were taken.
 * Reaches into Vert.x's connection internals (its Netty pipeline and shutdown event); pinned to the Vert.x version
 * in the build, and DrainProcessIT fails if either changes.
 */
final class ShutdownLinger extends ChannelInboundHandlerAdapter {

  private final long lingerMs;

  private ShutdownLinger(long lingerMs) {
    this.lingerMs = lingerMs;
  }

  /** Holds {@code c}'s shutdown {@code lingerMs} when it is an HTTP/1.x connection and the linger is not 0. */
  static void install(HttpConnection c, long lingerMs) {
    if (lingerMs > 0 && c instanceof Http1xServerConnection h) {
      h.channel().pipeline().addFirst("coedge-shutdown-linger", new ShutdownLinger(lingerMs));
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof ShutdownEvent) {
      ctx.executor().schedule(() -> ctx.fireUserEventTriggered(evt), lingerMs, TimeUnit.MILLISECONDS);
    } else {
      ctx.fireUserEventTriggered(evt);
    }
  }
}
