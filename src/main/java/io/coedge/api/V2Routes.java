package io.coedge.api;

import io.coedge.api.codec.CodecLimits;
import io.coedge.inference.InferenceEngine;
import io.coedge.inference.InferenceException;
import io.coedge.inference.ModelVersion;
import io.coedge.inference.TensorSpec;
import io.coedge.observability.Health;
import io.coedge.observability.Metrics;
import io.coedge.observability.Tracing;
import io.coedge.routing.Call;
import io.coedge.routing.Routed;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.function.Function;

/**
 * The Open Inference Protocol v2 endpoints (DESIGN §3.1): health, server and model metadata, readiness and
 * statistics over an {@link InferenceEngine}; infer itself is {@link InferRoute}.
 */
public final class V2Routes {

  public static final String SERVER_NAME = "coedge";
  public static final List<String> EXTENSIONS = List.of("binary_tensor_data", "classification", "statistics",
      "model_repository", "model_configuration", "trace", "logging");

  private final InferenceEngine engine;
  private final Health health;
  private final InferRoute infer;
  private final Tracing tracing;

  public V2Routes(InferenceEngine engine, Function<Call, Future<Routed>> inferrer, Health health,
      Metrics metrics, CodecLimits limits) {
    this(engine, inferrer, health, metrics, limits, Tracing.OFF);
  }

  /** With request tracing, and Triton's trace and logging extensions ({@link TraceRoutes}, {@link LoggingRoutes}). */
  public V2Routes(InferenceEngine engine, Function<Call, Future<Routed>> inferrer, Health health,
      Metrics metrics, CodecLimits limits, Tracing tracing) {
    this.engine = engine;
    this.health = health;
    this.infer = new InferRoute(engine, inferrer, metrics, limits, tracing);
    this.tracing = tracing;
  }

  public void mount(Router router, long maxBodyBytes) {
    // Infer first: Vert.x Web tries routes in mount order, so the hot path matches no other route's pattern before
    // its own. No other route takes POST on these paths, so what any request is answered does not change.
    for (String base : List.of("/v2/models/:model", "/v2/models/:model/versions/:version")) {
      infer.mount(router, base + "/infer", maxBodyBytes);
    }
    router.get("/v2/health/live").handler(ctx -> json(ctx.response(), 200, new JsonObject().put("live", true)));
    router.get("/v2/health/ready").handler(this::ready);
    router.get("/v2").handler(ctx -> json(ctx.response(), 200, new JsonObject().put("name", SERVER_NAME)
        .put("version", Versions.BUILD).put("extensions", new JsonArray(EXTENSIONS))));
    // Before "/v2/models/:model": as in Triton, "stats" there is the statistics of every model, not a model name.
    router.get("/v2/models/stats").handler(this::statistics);
    new TraceRoutes(tracing, engine).mount(router);
    new LoggingRoutes().mount(router);
    for (String base : List.of("/v2/models/:model", "/v2/models/:model/versions/:version")) {
      router.get(base + "/stats").handler(this::statistics);
      router.get(base).handler(this::metadata);
      router.get(base + "/ready").handler(this::modelReady);
    }
  }

  private void ready(RoutingContext ctx) {
    boolean ready = health.ready();
    JsonObject checks = new JsonObject();
    health.evaluate().forEach(checks::put);
    HttpServerResponse r = ctx.response();
    if (!ready) {
      r.putHeader("retry-after", "1");
    }
    json(r, ready ? 200 : 503, new JsonObject().put("ready", ready).put("checks", checks));
  }

  private void metadata(RoutingContext ctx) {
    ModelVersion m = engine.resolve(ctx.pathParam("model"), ctx.pathParam("version"));
    JsonArray versions = new JsonArray();
    engine.models().stream().filter(v -> v.name().equals(m.name()) && v.ready())
        .forEach(v -> versions.add(v.version()));
    json(ctx.response(), 200, new JsonObject().put("name", m.name()).put("versions", versions)
        .put("platform", "onnxruntime_onnx").put("inputs", specs(m.inputs())).put("outputs", specs(m.outputs())));
  }

  private static JsonArray specs(List<TensorSpec> specs) {
    JsonArray a = new JsonArray();
    for (TensorSpec s : specs) {
      JsonArray shape = new JsonArray();
      for (long d : s.shape()) {
        shape.add(d);
      }
      a.add(new JsonObject().put("name", s.name()).put("datatype", s.type().name()).put("shape", shape));
    }
    return a;
  }

  /** Triton's statistics extension: {@code {"model_stats": [...]}} for one version, one model or every model. */
  private void statistics(RoutingContext ctx) {
    String model = ctx.pathParam("model");
    String version = ctx.pathParam("version");
    if (model != null) {
      engine.resolve(model, version); // 404 naming the unknown model or version
    }
    JsonArray stats = new JsonArray();
    engine.statistics(model, version).forEach(s -> stats.add(Statistics.toJson(s)));
    json(ctx.response(), 200, new JsonObject().put("model_stats", stats));
  }

  private void modelReady(RoutingContext ctx) {
    String name = ctx.pathParam("model");
    String version = ctx.pathParam("version");
    List<ModelVersion> known = engine.models().stream()
        .filter(v -> v.name().equals(name) && (version == null || v.version().equals(version))).toList();
    if (known.isEmpty()) {
      throw InferenceException.notFound(version == null ? "unknown model '" + name + "'"
          : "model '" + name + "' has no version '" + version + "'");
    }
    boolean ready = known.stream().anyMatch(ModelVersion::ready);
    if (!ready) {
      ctx.response().putHeader("retry-after", "1");
    }
    json(ctx.response(), ready ? 200 : 503, new JsonObject().put("name", name).put("ready", ready));
  }

  static void json(HttpServerResponse r, int status, JsonObject body) {
    r.setStatusCode(status).putHeader("content-type", "application/json").end(body.toBuffer());
  }
}
