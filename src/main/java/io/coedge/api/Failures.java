package io.coedge.api;

import io.coedge.inference.InferenceException;
import io.coedge.security.Refusal;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one place that turns a failure into an HTTP answer: {@code {"error": ...}} with the status the
 * error carries, Retry-After on 503 and 429, a {@code WWW-Authenticate} challenge on 401; anything unexpected is a
 * 500 logged with a request id. A client that hung up gets nothing and is logged at FINE only. Handlers below the
 * API (security) only {@code ctx.fail(...)}.
 */
public final class Failures {

  private static final Logger LOG = Logger.getLogger(Failures.class.getName());
  private static final AtomicLong IDS = new AtomicLong();

  private Failures() {
  }

  /** Router failure handler. */
  public static void handle(RoutingContext ctx) {
    Throwable f = ctx.failure();
    if (f instanceof InferenceException e) {
      send(ctx.response(), e);
      return;
    }
    if (f instanceof Refusal.Refused r) {
      refuse(ctx.response(), r.refusal());
      return;
    }
    if (ctx.response().closed()) {
      // The client hung up (e.g. mid-body): nothing failed here, and there is no one left to answer. (Not any
      // HttpClosedException: one from a connection this node opened must still be answered.)
      LOG.fine(() -> ctx.request().method() + " " + ctx.request().path() + ": the client closed the connection");
      return;
    }
    int status = ctx.statusCode();
    if (f == null && status >= 400 && status < 500) {
      send(ctx.response(), status, describe(ctx, status), 0);
      return;
    }
    String id = "req-" + IDS.incrementAndGet();
    LOG.log(Level.SEVERE, id + ": " + ctx.request().method() + " " + ctx.request().path() + " failed", f);
    send(ctx.response(), 500, "internal error (request id " + id + ")", 0);
  }

  private static void refuse(HttpServerResponse response, Refusal r) {
    if (r.challenge() != null && !response.headWritten()) {
      response.putHeader("www-authenticate", r.challenge());
    }
    send(response, r.status(), r.message(), r.retryAfterS());
  }

  private static String describe(RoutingContext ctx, int status) {
    return switch (status) {
      case 404 -> "no such endpoint: " + ctx.request().method() + " " + ctx.request().path();
      case 405 -> "method " + ctx.request().method() + " is not allowed on " + ctx.request().path();
      case 413 -> "request body is larger than the limit (http.max-body-bytes)";
      case 415 -> "unsupported content type";
      default -> "bad request";
    };
  }

  /**
   * A request the HTTP decoder could not read (request line or headers too long, malformed): the status Vert.x
   * would send, with an {@code error} naming the limit, then the connection is closed (its framing is lost).
   */
  public static void invalidRequest(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    int status = 400;
    String message = "malformed HTTP request";
    if (cause instanceof TooLongHttpLineException) {
      status = 414;
      message = "request line (method, URI, version) is longer than the limit (http.max-initial-line-bytes)";
    } else if (cause instanceof TooLongHttpHeaderException) {
      status = 431;
      message = "request headers are larger than the limit (http.max-header-bytes)";
    } else if (cause != null && cause.getMessage() != null) {
      String detail = cause.getMessage();
      message = "malformed HTTP request: " + (detail.length() > 200 ? detail.substring(0, 200) + "..." : detail);
    }
    HttpServerResponse response = request.response().putHeader("connection", "close");
    send(response, status, message, 0);
    request.connection().close();
  }

  public static void send(HttpServerResponse response, InferenceException e) {
    int retry = e instanceof InferenceException.Overloaded o ? o.retryAfterSeconds() : 0;
    send(response, e.status(), e.getMessage(), retry);
  }

  public static void send(HttpServerResponse response, int status, String message, int retryAfterSeconds) {
    if (response.ended() || response.closed()) {
      return;
    }
    if (response.headWritten()) {
      response.reset();
      return;
    }
    response.setStatusCode(status).putHeader("content-type", "application/json");
    if (retryAfterSeconds > 0) {
      response.putHeader("retry-after", Integer.toString(retryAfterSeconds));
    }
    response.end(new JsonObject().put("error", message).toBuffer());
  }
}
