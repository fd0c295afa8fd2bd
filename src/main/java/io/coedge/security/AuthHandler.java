package io.coedge.security;

import io.coedge.observability.MetricName;
import io.coedge.observability.Metrics;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The first handler of every route: who is calling ({@link Authenticator}), may they ({@link AccessRules}),
 * and have they tokens left ({@link RateLimiter}); else the request fails with a {@link Refusal.Refused} (401,
 * 403 or 429, written by the router's one failure handler), counted in {@code coedge_auth_refusals_total{status,
 * reason}}. Open endpoints pass untouched. The request body is not read before the caller is known.
 */
public final class AuthHandler implements Handler<RoutingContext> {

  /** Where the handler leaves the caller for later handlers (none when auth is off and nothing is rate limited). */
  public static final String PRINCIPAL = "coedge.principal";

  private final AccessRules rules;
  private final Authenticator authenticator;
  private final RateLimiter limiter;
  private final Map<String, Metrics.Counter> refusals;
  private final String hopHeader;
  /** Decided once: no credentials asked and no rate limit, so every plain caller is let through as it is. */
  private final boolean openToAll;

  /** @param hopHeader the header an offloading node sets; a request carrying it needs the {@code cluster} scope */
  public AuthHandler(AccessRules rules, Authenticator authenticator, RateLimiter limiter, Metrics metrics,
      String hopHeader) {
    this.rules = rules;
    this.authenticator = authenticator;
    this.limiter = limiter;
    this.refusals = counters(metrics);
    this.hopHeader = hopHeader;
    this.openToAll = authenticator.everyoneAnonymous() && limiter.unlimited();
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest req = ctx.request();
    if (openToAll && passes(req.path(), req.connection())) {
      ctx.next();
      return;
    }
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
            refusals.getOrDefault(r.refusal().reason(), Metrics.Counter.NOOP).increment();
            ctx.fail(r);
          } else {
            ctx.fail(ar.cause());
          }
        });
  }

  /**
   * With authentication off and no rate limit, the full gate would admit an anonymous caller (every scope, every
   * model, never limited) on any path it can parse: so no {@link Requirement} nor {@link Principal} is built for it.
   * The full gate still decides for a connection with a client certificate (a cluster node has fewer scopes) and a
   * path with percent-encoding (a malformed escape is its 400; without '%' the path cannot fail to normalise).
   */
  private static boolean passes(String rawPath, HttpConnection connection) {
    return rawPath.indexOf('%') < 0 && PeerIdentity.subject(connection) == null;
  }

  /**
   * The gate for one request: REST routes, and the gRPC service for the REST path of the same operation (so both
   * protocols share scopes, per-model keys and rate-limit buckets).
   *
   * @return the caller (null on an open path, and for a plain caller with authentication off and no rate limit), or a
   *     failed future holding a {@link Refusal.Refused}, counted
   */
  public Future<Principal> check(String path, boolean hop, String authorization, String apiKey,
      HttpConnection connection) {
    if (openToAll && passes(path, connection)) {
      return Future.succeededFuture();
    }
    Requirement need;
    try {
      need = rules.of(path, hop);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(new Refusal(400, e.getMessage(), null, 0).failure());
    }
    if (need.open()) {
      return Future.succeededFuture();
    }
    // The connection's peer, not Vert.x Web's remoteAddress() (which parses Forwarded headers per request; we do
    // not trust them anyway).
    var peer = connection == null ? null : connection.remoteAddress();
    String address = peer == null ? "unknown" : peer.host();
    return authenticator.authenticate(authorization, apiKey, PeerIdentity.subject(connection), address)
        .compose(p -> admit(p, need))
        .onFailure(err -> {
          if (err instanceof Refusal.Refused r) {
            refusals.getOrDefault(r.refusal().reason(), Metrics.Counter.NOOP).increment();
          }
        });
  }

  /** One counter per kind of refusal, by {@link Refusal#reason()} (a malformed path is not counted). */
  private static Map<String, Metrics.Counter> counters(Metrics metrics) {
    Map<String, Metrics.Counter> out = new HashMap<>();
    for (Refusal r : List.of(Refusal.missing(""), Refusal.invalid(""), Refusal.forbidden(""), Refusal.limited("", 1))) {
      out.put(r.reason(), metrics.counter(MetricName.AUTH_REFUSALS, String.valueOf(r.status()), r.reason()));
    }
    return Map.copyOf(out);
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
