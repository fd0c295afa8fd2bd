package io.coedge.api;

import io.coedge.api.codec.BodyEncoding;
import io.coedge.api.codec.Classification;
import io.coedge.api.codec.CodecLimits;
import io.coedge.api.codec.RequestDecoder;
import io.coedge.api.codec.ResponseEncoder;
import io.coedge.inference.InferRequest;
import io.coedge.inference.InferResult;
import io.coedge.inference.InferenceEngine;
import io.coedge.inference.InferenceException;
import io.coedge.inference.ModelVersion;
import io.coedge.inference.TensorSpec;
import io.coedge.observability.Health;
import io.coedge.observability.Metrics;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.PlatformHandler;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/** The Open Inference Protocol v2 endpoints (DESIGN §3.1) over an {@link InferenceEngine}. */
public final class V2Routes {

  public static final String SERVER_NAME = "coedge";
  public static final List<String> EXTENSIONS = List.of("binary_tensor_data", "classification", "statistics");
  static final String HEADER_LENGTH = "inference-header-content-length";
  /** Set on a request another node forwarded here: it is served here and never forwarded again (hop limit 1). */
  public static final String HOP_HEADER = "coedge-hop";
  /** The forwarding node's remaining deadline for the request, µs; tightens the request's own. */
  public static final String HOP_TIMEOUT_HEADER = "coedge-timeout-us";

  private final InferenceEngine engine;
  private final Function<Call, Future<Routed>> inferrer;
  private final Health health;
  private final Metrics metrics;
  private final String nodeId;
  private final RequestDecoder decoder;
  private final ResponseEncoder encoder;
  private long maxBodyBytes = Long.MAX_VALUE; // set by mount; bounds an inflated (Content-Encoding) body too

  /**
   * One infer call as received: the decoded request, and what forwarding it unchanged takes.
   *
   * @param jsonLength the client's {@code Inference-Header-Content-Length} header, or null
   * @param hop        true when another node forwarded it here
   */
  public record Call(InferRequest request, Buffer body, String contentType, String jsonLength, boolean hop) {
  }

  /**
   * A cloud node's answer relayed as it came.
   *
   * @param headerLength its {@code Inference-Header-Content-Length}, or null
   */
  public record Relayed(String version, Buffer body, String contentType, String headerLength, long queueUs,
      long computeUs) {
  }

  /**
   * An answer and how it was obtained, for the {@code coedge-*} headers: either a local {@code result}
   * (encoded here) or a {@code relayed} remote answer (sent back byte for byte); exactly one is set.
   */
  public record Routed(InferResult result, Relayed relayed, String route, String servedBy) {

    public Routed {
      if ((result == null) == (relayed == null)) {
        throw new IllegalArgumentException("a routed answer is either local or relayed");
      }
    }

    public Routed(InferResult result, String route, String servedBy) {
      this(result, null, route, servedBy);
    }
  }

  public V2Routes(InferenceEngine engine, Function<Call, Future<Routed>> inferrer, Health health,
      Metrics metrics, String nodeId, CodecLimits limits) {
    this.engine = engine;
    this.inferrer = inferrer;
    this.health = health;
    this.metrics = metrics;
    this.nodeId = nodeId;
    this.decoder = new RequestDecoder(limits);
    this.encoder = new ResponseEncoder((m, v) -> engine.resolve(m, v).config().labels());
  }

  public void mount(Router router, long maxBodyBytes) {
    this.maxBodyBytes = maxBodyBytes;
    router.get("/v2/health/live").handler(ctx -> json(ctx.response(), 200, new JsonObject().put("live", true)));
    router.get("/v2/health/ready").handler(this::ready);
    router.get("/v2").handler(ctx -> json(ctx.response(), 200, new JsonObject().put("name", SERVER_NAME)
        .put("version", Versions.BUILD).put("extensions", new JsonArray(EXTENSIONS))));
    // Before "/v2/models/:model": as in Triton, "stats" there is the statistics of every model, not a model name.
    router.get("/v2/models/stats").handler(this::statistics);
    for (String base : List.of("/v2/models/:model", "/v2/models/:model/versions/:version")) {
      router.get(base + "/stats").handler(this::statistics);
      router.get(base).handler(this::metadata);
      router.get(base + "/ready").handler(this::modelReady);
      router.post(base + "/infer")
          .handler((PlatformHandler) V2Routes::noForms) // Vert.x Web lets only platform handlers precede a body one
          .handler(BodyHandler.create(false).setBodyLimit(maxBodyBytes))
          .handler(this::infer);
    }
  }

  /**
   * Infer takes JSON or the binary extension, whatever the content type says (as Triton does): a form type, which
   * {@code curl -d} sends by default, is read as JSON rather than decoded into form attributes; multipart and
   * unknown content codings are refused before the body is read.
   */
  private static void noForms(RoutingContext ctx) {
    String type = ctx.request().getHeader("content-type");
    String t = type == null ? "" : type.trim().toLowerCase(Locale.ROOT);
    String coding = ctx.request().getHeader("content-encoding");
    if (t.startsWith("multipart/") || !BodyEncoding.supported(coding)) {
      Failures.send(ctx.response(), 415, t.startsWith("multipart/") ? "content type '" + type + "' is not "
          + "accepted; send application/json, or application/octet-stream with Inference-Header-Content-Length"
          : "Content-Encoding '" + coding + "' is not supported; send gzip, deflate or identity", 0);
      return;
    }
    if (t.startsWith("application/x-www-form-urlencoded")) {
      ctx.request().headers().set("content-type", "application/json");
    }
    ctx.next();
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

  private void infer(RoutingContext ctx) {
    String model = ctx.pathParam("model");
    Buffer body = BodyEncoding.decode(ctx.request().getHeader("content-encoding"), ctx.body().buffer(), maxBodyBytes);
    String version = ctx.pathParam("version");
    int jsonLength = jsonLength(ctx);
    InferRequest decoded = jsonLength == 0 // Triton's raw binary request: the body is the single input
        ? decoder.decodeRaw(model, version, body, engine.resolve(model, version).inputs())
        : decoder.decode(model, version, body, jsonLength);
    if (decoded.outputs().stream().anyMatch(o -> o.classCount() > 0)) {
      Classification.check(decoded, engine.resolve(model, version).outputs()); // before the model runs
    }
    boolean hop = ctx.request().getHeader(HOP_HEADER) != null;
    InferRequest req = hop ? tightened(decoded, ctx.request().getHeader(HOP_TIMEOUT_HEADER)) : decoded;
    Call call = new Call(req, body, ctx.request().getHeader("content-type"), ctx.request().getHeader(HEADER_LENGTH),
        hop);
    inferrer.apply(call).onComplete(ar -> {
      if (ar.succeeded() && ar.result().relayed() != null) {
        relay(ctx, model, ar.result());
      } else if (ar.succeeded()) {
        Routed r = ar.result();
        metrics.inferSuccess(model, r.result().version(), r.route(), r.result().queueUs(), r.result().computeUs());
        ResponseEncoder.Encoded out = encoder.encode(req, r.result());
        HttpServerResponse resp = ctx.response()
            .putHeader("coedge-served-by", r.servedBy())
            .putHeader("coedge-route", r.route())
            .putHeader("coedge-queue-us", Long.toString(r.result().queueUs()))
            .putHeader("coedge-compute-us", Long.toString(r.result().computeUs()));
        if (out.jsonLength() >= 0) {
          resp.putHeader(HEADER_LENGTH, Integer.toString(out.jsonLength()))
              .putHeader("content-type", "application/octet-stream");
        } else {
          resp.putHeader("content-type", "application/json");
        }
        resp.end(out.body());
      } else {
        Throwable f = ar.cause();
        metrics.inferFailure(model, f instanceof InferenceException e ? reason(e) : "internal");
        ctx.fail(f);
      }
    });
  }

  private void relay(RoutingContext ctx, String model, Routed r) {
    Relayed a = r.relayed();
    metrics.inferSuccess(model, a.version(), r.route(), a.queueUs(), a.computeUs());
    HttpServerResponse resp = ctx.response()
        .putHeader("coedge-served-by", r.servedBy())
        .putHeader("coedge-route", r.route())
        .putHeader("coedge-queue-us", Long.toString(a.queueUs()))
        .putHeader("coedge-compute-us", Long.toString(a.computeUs()))
        .putHeader("content-type", a.contentType() == null ? "application/json" : a.contentType());
    if (a.headerLength() != null) {
      resp.putHeader(HEADER_LENGTH, a.headerLength());
    }
    resp.end(a.body());
  }

  /** A forwarded request keeps the smaller of its own deadline and what the forwarding node had left. */
  private static InferRequest tightened(InferRequest req, String remainingUs) {
    if (remainingUs == null) {
      return req;
    }
    try {
      long left = Long.parseLong(remainingUs.trim());
      return left > 0 && (req.timeoutUs() == 0 || left < req.timeoutUs()) ? req.withTimeout(left) : req;
    } catch (NumberFormatException e) {
      return req;
    }
  }

  private static String reason(InferenceException e) {
    return switch (e.status()) {
      case 400 -> "invalid";
      case 404 -> "not_found";
      case 503 -> "overloaded";
      default -> Integer.toString(e.status());
    };
  }

  private static int jsonLength(RoutingContext ctx) {
    String h = ctx.request().getHeader(HEADER_LENGTH);
    if (h == null) {
      return -1;
    }
    try {
      int n = Integer.parseInt(h.trim());
      if (n >= 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw InferenceException.invalid("header Inference-Header-Content-Length must be a non-negative integer, got '"
        + h + "'");
  }

  static void json(HttpServerResponse r, int status, JsonObject body) {
    r.setStatusCode(status).putHeader("content-type", "application/json").end(body.toBuffer());
  }
}
