package io.coedge.security;

import io.coedge.api.Failures;
import io.coedge.api.V2Routes;
import io.coedge.observability.Metrics;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * The first handler of every route: who is calling ({@link Authenticator}), may they ({@link AccessRules}),
 * and have they tokens left ({@link RateLimiter}); else 401, 403 or 429 with {@code {"error": ...}}, counted in
 * {@code coedge_auth_refusals_total{status,reason}}. Open endpoints pass untouched. The request body is not read
 * before the caller is known.
 */
public final class AuthHandler implements Handler<RoutingContext> {

  /** Where the handler leaves the caller for later handlers. */
  public static final String PRINCIPAL = "coedge.principal";
  static final String REFUSALS = "coedge.auth.refusals";

  private final AccessRules rules;
  private final Authenticator authenticator;
  private final RateLimiter limiter;
  private final Metrics metrics;

  public AuthHandler(AccessRules rules, Authenticator authenticator, RateLimiter limiter, Metrics metrics) {
    this.rules = rules;
    this.authenticator = authenticator;
    this.limiter = limiter;
    this.metrics = metrics;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest req = ctx.request();
    Requirement need;
    try {
      need = rules.of(ctx.normalizedPath(), req.getHeader(V2Routes.HOP_HEADER) != null);
    } catch (IllegalArgumentException e) {
      Failures.send(ctx.response(), 400, e.getMessage(), 0);
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
            send(ctx.response(), r.refusal());
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

  private static void send(HttpServerResponse response, Refusal r) {
    if (r.challenge() != null && !response.headWritten()) {
      response.putHeader("www-authenticate", r.challenge());
    }
    Failures.send(response, r.status(), r.message(), r.retryAfterS());
  }
}
