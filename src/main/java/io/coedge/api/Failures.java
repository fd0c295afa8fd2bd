package io.coedge.api;

import io.coedge.inference.InferenceException;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one place that turns a failure into an HTTP answer: {@code {"error": ...}} with the status the
 * error carries, Retry-After on 503; anything unexpected is a 500 logged with a request id.
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
    int status = ctx.statusCode();
    if (f == null && status >= 400 && status < 500) {
      send(ctx.response(), status, describe(ctx, status), 0);
      return;
    }
    String id = "req-" + IDS.incrementAndGet();
    LOG.log(Level.SEVERE, id + ": " + ctx.request().method() + " " + ctx.request().path() + " failed", f);
    send(ctx.response(), 500, "internal error (request id " + id + ")", 0);
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
