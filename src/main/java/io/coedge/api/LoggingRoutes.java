package io.coedge.api;

import io.coedge.inference.InferenceException;
import io.coedge.observability.LogControl;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.Set;

/**
 * Triton's logging extension (admin scope, see AccessRules): {@code GET /v2/logging} shows, {@code POST} changes
 * {@code log_verbose_level}, {@code log_info}, {@code log_warning}, {@code log_error} and {@code log_format}
 * ({@code text} or {@code json}; Triton's {@code default} is {@code text}), plus Coedge's {@code routing_decisions}
 * (one line per request saying where it ran and why). {@code log_file} is always empty: logs go to standard error.
 */
final class LoggingRoutes {

  private static final Set<String> KEYS = Set.of("log_file", "log_info", "log_warning", "log_error",
      "log_verbose_level", "log_format", "routing_decisions");

  void mount(Router router) {
    router.get("/v2/logging").handler(ctx -> answer(ctx, LogControl.current()));
    router.post("/v2/logging").handler(BodyHandler.create(false).setBodyLimit(RepositoryRoutes.MAX_BODY))
        .handler(this::change);
  }

  private void change(RoutingContext ctx) {
    JsonObject b = TraceRoutes.known(RepositoryRoutes.object(ctx), KEYS, "logging");
    if (b.containsKey("log_file") && !"".equals(b.getValue("log_file"))) {
      throw InferenceException.invalid("log_file: logs go to standard error; only \"\" is accepted");
    }
    LogControl.Settings now = LogControl.current();
    String format = b.containsKey("log_format") ? format(b.getValue("log_format")) : now.json() ? "json" : "text";
    LogControl.Settings s = new LogControl.Settings(verbose(b, now.verboseLevel()), bool(b, "log_info", now.info()),
        bool(b, "log_warning", now.warning()), bool(b, "log_error", now.error()), format.equals("json"),
        bool(b, "routing_decisions", now.routingDecisions()));
    LogControl.apply(s);
    answer(ctx, LogControl.current());
  }

  private static int verbose(JsonObject b, int current) {
    if (!b.containsKey("log_verbose_level")) {
      return current;
    }
    Object v = b.getValue("log_verbose_level");
    if (v instanceof Integer i && i >= 0) {
      return i;
    }
    throw InferenceException.invalid("log_verbose_level must be a non-negative integer (0 = INFO, 1 = FINE, "
        + "2 = FINER, 3 = FINEST), got " + v);
  }

  private static boolean bool(JsonObject b, String key, boolean current) {
    if (!b.containsKey(key)) {
      return current;
    }
    if (b.getValue(key) instanceof Boolean v) {
      return v;
    }
    throw InferenceException.invalid(key + " must be true or false, got " + b.getValue(key));
  }

  private static String format(Object v) {
    if ("text".equals(v) || "default".equals(v)) {
      return "text";
    }
    if ("json".equals(v)) {
      return "json";
    }
    throw InferenceException.invalid("log_format must be \"text\" (Triton's \"default\") or \"json\", got " + v);
  }

  private static void answer(RoutingContext ctx, LogControl.Settings s) {
    ctx.response().putHeader("content-type", "application/json").end(new JsonObject()
        .put("log_file", "").put("log_info", s.info()).put("log_warning", s.warning()).put("log_error", s.error())
        .put("log_verbose_level", s.verboseLevel()).put("log_format", s.json() ? "json" : "text")
        .put("routing_decisions", s.routingDecisions()).toBuffer());
  }
}
