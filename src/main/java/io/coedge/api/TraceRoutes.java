package io.coedge.api;

import io.coedge.inference.InferenceEngine;
import io.coedge.inference.InferenceException;
import io.coedge.observability.TraceSettings;
import io.coedge.observability.TraceSettings.Level;
import io.coedge.observability.TraceSettings.Values;
import io.coedge.observability.Tracing;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.Set;

/**
 * Triton's trace extension (admin scope, see AccessRules): {@code GET/POST /v2/trace/setting} and
 * {@code /v2/models/{m}/trace/setting} show and change which requests are traced. Applied: {@code trace_level}
 * ({@code ["OFF"]} or {@code ["TIMESTAMPS"]}; {@code TENSORS} is not recorded), {@code trace_rate} (one request
 * in N without a sampled {@code traceparent} starts a trace; 0 = none), {@code trace_count} (traces left, -1 = no
 * limit). Shown as they are: {@code trace_mode} {@code opentelemetry}, {@code trace_file} empty and
 * {@code log_frequency} 0 (spans go to the OTLP endpoint in batches). In a POST a null value returns a model's setting to the global one, a global one to its start value.
 */
final class TraceRoutes {

  private static final Set<String> KEYS = Set.of("trace_level", "trace_rate", "trace_count", "log_frequency",
      "trace_file", "trace_mode");

  private final Tracing tracing;
  private final InferenceEngine engine;

  TraceRoutes(Tracing tracing, InferenceEngine engine) {
    this.tracing = tracing;
    this.engine = engine;
  }

  void mount(Router router) {
    BodyHandler body = BodyHandler.create(false).setBodyLimit(RepositoryRoutes.MAX_BODY);
    router.get("/v2/trace/setting").handler(ctx -> answer(ctx, tracing.settings().global()));
    router.post("/v2/trace/setting").handler(body).handler(ctx -> change(ctx, null));
    router.get("/v2/models/:model/trace/setting").handler(ctx -> answer(ctx, tracing.settings().of(model(ctx))));
    router.post("/v2/models/:model/trace/setting").handler(body).handler(ctx -> change(ctx, model(ctx)));
  }

  /** The model's name, once it is known to this node (else 404). */
  private String model(RoutingContext ctx) {
    return engine.resolve(ctx.pathParam("model"), null).name();
  }

  private void change(RoutingContext ctx, String model) {
    JsonObject b = known(RepositoryRoutes.object(ctx), KEYS, "trace");
    fixed(b, "log_frequency", "0", "spans are exported to the OTLP endpoint in batches every second");
    fixed(b, "trace_file", "", "spans go to observability.otlp-endpoint, not to a file");
    fixed(b, "trace_mode", "opentelemetry", "Coedge traces with OpenTelemetry only");
    TraceSettings settings = tracing.settings();
    Values was = model == null ? settings.global() : settings.overrides(model);
    Values v = new Values(b.containsKey("trace_level") ? level(b.getValue("trace_level")) : was.level(),
        b.containsKey("trace_rate") ? rate(number(b, "trace_rate", 0)) : was.rate(),
        b.containsKey("trace_count") ? number(b, "trace_count", -1) : was.count());
    if (!tracing.on()) {
      throw InferenceException.invalid("tracing is off on this node: set observability.otlp-endpoint "
          + "(COEDGE_OBSERVABILITY_OTLP_ENDPOINT) to export spans, then change trace_level, trace_rate, trace_count");
    }
    if (model == null) {
      settings.setGlobal(v);
    } else {
      settings.setModel(model, v);
    }
    answer(ctx, model == null ? settings.global() : settings.of(model));
  }

  /** {@code b}, once every key in it is one of {@code keys} (else a 400 naming the unknown one). */
  static JsonObject known(JsonObject b, Set<String> keys, String what) {
    for (String k : b.fieldNames()) {
      if (!keys.contains(k)) {
        throw InferenceException.invalid("unknown " + what + " setting '" + k + "'; allowed: " + String.join(", ",
            keys.stream().sorted().toList()));
      }
    }
    return b;
  }

  private static Integer rate(Long n) {
    return n == null ? null : n.intValue();
  }

  /** A setting Coedge shows but cannot change: null or its one value, else a 400 saying why. */
  private static void fixed(JsonObject b, String key, String only, String why) {
    Object v = b.getValue(key);
    if (v != null && !only.equals(String.valueOf(v))) {
      throw InferenceException.invalid(key + ": " + why + "; only \"" + only + "\" is accepted, got " + v);
    }
  }

  private static Level level(Object v) {
    if (v == null) {
      return null;
    }
    if (v instanceof JsonArray a && a.size() == 1 && a.getValue(0) instanceof String s) {
      if (s.equals("OFF") || s.equals("TIMESTAMPS")) {
        return Level.valueOf(s);
      }
      if (s.equals("TENSORS")) {
        throw InferenceException.invalid("trace_level: TENSORS is not supported (Coedge records stage timestamps, "
            + "not tensor contents); allowed: [\"OFF\"] or [\"TIMESTAMPS\"]");
      }
    }
    throw InferenceException.invalid("trace_level must be [\"OFF\"] or [\"TIMESTAMPS\"], got " + v);
  }

  /** Triton sends numbers as strings; both are taken. Null when the value is null (back to the default). */
  private static Long number(JsonObject b, String key, long min) {
    Object v = b.getValue(key);
    if (v == null) {
      return null;
    }
    try {
      long n = v instanceof Number x && x.doubleValue() == x.longValue() ? x.longValue()
          : v instanceof String s ? Long.parseLong(s.trim()) : Long.MIN_VALUE;
      if (n >= min && n <= Integer.MAX_VALUE) {
        return n;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw InferenceException.invalid(key + " must be an integer from " + min + " to " + Integer.MAX_VALUE + ", got "
        + v);
  }

  private void answer(RoutingContext ctx, Values v) {
    boolean off = !tracing.on() || v.level() == Level.OFF;
    ctx.response().putHeader("content-type", "application/json").end(new JsonObject()
        .put("trace_level", new JsonArray().add(off ? "OFF" : "TIMESTAMPS"))
        .put("trace_rate", String.valueOf(v.rate())).put("trace_count", String.valueOf(v.count()))
        .put("log_frequency", "0").put("trace_file", "").put("trace_mode", "opentelemetry").toBuffer());
  }
}
