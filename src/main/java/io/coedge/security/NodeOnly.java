package io.coedge.security;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * Guards node-to-node calls when mutual TLS is on: a request marked as coming from another node (any of the hop
 * headers an offloading node sets) without a verified node certificate ({@link PeerIdentity}) fails with a 403
 * {@link Refusal}, written by the router's one failure handler. Anything else passes. Mounted in front of every route.
 */
public final class NodeOnly implements Handler<RoutingContext> {

  private final List<String> nodeHeaders;

  /** @param nodeHeaders the headers only nodes send (checked case-insensitively) */
  public NodeOnly(List<String> nodeHeaders) {
    this.nodeHeaders = List.copyOf(nodeHeaders);
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    String marker = nodeHeaders.stream().filter(h -> request.getHeader(h) != null).findFirst().orElse(null);
    if (marker == null || PeerIdentity.isClusterNode(request)) {
      ctx.next();
      return;
    }
    ctx.fail(Refusal.forbidden("header '" + marker + "' is for calls between cluster nodes, which must "
        + "present a node certificate issued by the cluster CA (mutual TLS); this connection has none").failure());
  }
}
