package io.coedge.security;

import io.coedge.observability.Metrics;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * The first handler of every route: who is calling ({@link Authenticator}), may they ({@link AccessRules}),
 * and have they tokens left ({@link RateLimiter}); else the request fails with a {@link Refusal.Refused} (401,
 * 403 or 429, written by the router's one failure handler), counted in {@code coedge_auth_refusals_total{status,
 * reason}}. Open endpoints pass untouched. The request body is not read before the caller is known.
 */
public final class AuthHandler implements Handler<RoutingContext> {

  /** Where the handler leaves the caller for later handlers. */
  public static final String PRINCIPAL = "coedge.principal";
  static final String REFUSALS = "coedge.auth.refusals";

  private final AccessRules rules;
  private final Authenticator authenticator;
  private final RateLimiter limiter;
  private final Metrics metrics;
  private final String hopHeader;

  /** @param hopHeader the header an offloading node sets; a request carrying it needs the {@code cluster} scope */
  public AuthHandler(AccessRules rules, Authenticator authenticator, RateLimiter limiter, Metrics metrics,
      String hopHeader) {
    this.rules = rules;
    this.authenticator = authenticator;
    this.limiter = limiter;
    this.metrics = metrics;
    this.hopHeader = hopHeader;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest req = ctx.request();
    Requirement need;
    try {
      need = rules.of(ctx.normalizedPath(), req.getHeader(hopHeader) != null);
    } catch (IllegalArgumentException e) {
      ctx.fail(new Refusal(400, e.getMessage(), null, 0).failure());
      return;
    }
    if (need.open()) {
      ctx.next();
      return;
    }
    boolean paused = !req.isEnded();
    if (paused) {
      req.pause();
    }
    // The connection's peer, not Vert.x Web's remoteAddress() (which parses Forwarded headers per request; we do
    // not trust them anyway).
    var peer = req.connection() == null ? null : req.connection().remoteAddress();
    String address = peer == null ? "unknown" : peer.host();
    authenticator.authenticate(req.getHeader("authorization"), req.getHeader(Authenticator.API_KEY_HEADER),
            PeerIdentity.subject(req.connection()), address)
        .compose(p -> admit(p, need))
        .onComplete(ar -> {
          if (paused) {
            req.resume();
          }
          if (ar.succeeded()) {
            ctx.put(PRINCIPAL, ar.result());
            ctx.next();
          } else if (ar.cause() instanceof Refusal.Refused r) {
            metrics.count(REFUSALS, 1, "status", String.valueOf(r.refusal().status()), "reason", r.refusal().reason());
            ctx.fail(r);
          } else {
            ctx.fail(ar.cause());
          }
        });
  }

  private Future<Principal> admit(Principal p, Requirement need) {
    String why = need.refusal(p);
    if (why != null) {
      return Future.failedFuture(Refusal.forbidden(why).failure());
    }
    long waitNanos = p.limited() ? limiter.take(p.bucketKey(), p.limit()) : 0;
    if (waitNanos > 0) {
      int seconds = (int) Math.min(Integer.MAX_VALUE, (waitNanos + 999_999_999L) / 1_000_000_000L);
      return Future.failedFuture(Refusal.limited("rate limit of " + p.id() + " exceeded; retry after " + seconds
          + " s", seconds).failure());
    }
    return Future.succeededFuture(p);
  }
}
