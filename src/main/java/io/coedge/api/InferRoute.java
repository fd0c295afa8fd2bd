package io.coedge.api;

import io.coedge.api.codec.BodyEncoding;
import io.coedge.api.codec.Classification;
import io.coedge.api.codec.CodecLimits;
import io.coedge.api.codec.RequestDecoder;
import io.coedge.api.codec.ResponseEncoder;
import io.coedge.inference.InferRequest;
import io.coedge.inference.InferenceEngine;
import io.coedge.inference.InferenceException;
import io.coedge.observability.Metrics;
import io.coedge.observability.RequestTrace;
import io.coedge.observability.Tracing;
import io.coedge.routing.Call;
import io.coedge.routing.Hop;
import io.coedge.routing.Relayed;
import io.coedge.routing.Routed;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.PlatformHandler;
import java.util.Locale;
import java.util.function.Function;

/**
 * {@code POST /v2/models/{m}[/versions/{v}]/infer}: decode into a {@link Call}, hand it to the router, encode the
 * local answer or relay the remote one, with the {@code coedge-*} headers (DESIGN §3.2).
 */
final class InferRoute {

  static final String HEADER_LENGTH = "inference-header-content-length";

  private final InferenceEngine engine;
  private final Function<Call, Future<Routed>> inferrer;
  private final InferMetrics metrics;
  private final RequestDecoder decoder;
  private final ResponseEncoder encoder;
  private final Tracing tracing;
  private long maxBodyBytes = Long.MAX_VALUE; // set by mount; bounds an inflated (Content-Encoding) body too

  InferRoute(InferenceEngine engine, Function<Call, Future<Routed>> inferrer, Metrics metrics, CodecLimits limits,
      Tracing tracing) {
    this.tracing = tracing;
    this.engine = engine;
    this.inferrer = inferrer;
    this.metrics = new InferMetrics(metrics);
    this.decoder = new RequestDecoder(limits);
    this.encoder = new ResponseEncoder((m, v) -> engine.resolve(m, v).config().labels());
  }

  void mount(Router router, String path, long maxBodyBytes) {
    this.maxBodyBytes = maxBodyBytes;
    router.post(path)
        .handler((PlatformHandler) InferRoute::noForms) // Vert.x Web lets only platform handlers precede a body one
        // Sized from Content-Length (capped at 64 KiB by Vert.x): a 110 KB frame grows once, not 7 times from 1 KiB
        .handler(BodyHandler.create(false).setBodyLimit(maxBodyBytes).setPreallocateBodyBuffer(true))
        .handler(this::infer);
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

  private void infer(RoutingContext ctx) {
    RequestTrace trace = tracing.on() ? begin(ctx) : RequestTrace.NONE;
    try {
      infer(ctx, trace);
    } catch (RuntimeException e) { // a decode failure: the failure handler answers it
      trace.end(trace.now(), e.getMessage());
      throw e;
    }
  }

  /** The request's trace: a child of the caller's {@code traceparent} (ignored unless valid W3C trace context). */
  private RequestTrace begin(RoutingContext ctx) {
    RequestTrace t = tracing.begin("infer", ctx.pathParam("model"), ctx.request().getHeader("traceparent"),
        ctx.request().getHeader("tracestate"), System.nanoTime());
    if (t.traced()) {
      ctx.response().putHeader(RequestTrace.TRACE_ID_HEADER, t.traceId());
    }
    return t;
  }

  private void infer(RoutingContext ctx, RequestTrace trace) {
    long decodeStart = trace.now();
    String model = ctx.pathParam("model");
    Buffer body = BodyEncoding.decode(ctx.request().getHeader("content-encoding"), ctx.body().buffer(), maxBodyBytes);
    String version = ctx.pathParam("version");
    int jsonLength = jsonLength(ctx);
    InferRequest decoded = jsonLength == 0 // Triton's raw binary request: the body is the single input
        ? decoder.decodeRaw(model, version, body, engine.resolve(model, version).inputs())
        : decoder.decode(model, version, body, jsonLength);
    for (var o : decoded.outputs()) {
      if (o.classCount() > 0) {
        Classification.check(decoded, engine.resolve(model, version).outputs()); // before the model runs
        break;
      }
    }
    int hops = Hop.count(ctx.request().getHeader(Hop.HEADER)); // 400 on a hostile value
    InferRequest req = hops > 0 ? tightened(decoded, ctx.request().getHeader(Hop.TIMEOUT_HEADER)) : decoded;
    Call call = new Call(req, body, ctx.request().getHeader("content-type"), ctx.request().getHeader(HEADER_LENGTH),
        hops, trace);
    trace.stage("decode", decodeStart, trace.now());
    inferrer.apply(call).onComplete(ar -> {
      if (ctx.response().headWritten()) {
        return; // answered already: a drain past its timeout wrote the 503 (a request is answered exactly once)
      }
      long encodeStart = trace.now();
      if (ar.succeeded()) {
        trace.attribute("coedge.route", ar.result().route());
        trace.attribute("coedge.served_by", ar.result().servedBy());
      }
      if (ar.succeeded() && ar.result().relayed() != null) {
        relay(ctx, model, ar.result());
      } else if (ar.succeeded()) {
        Routed r = ar.result();
        metrics.success(model, r.result().version(), r.route(), r.result().queueUs(), r.result().computeUs());
        ResponseEncoder.Encoded out = encoder.encode(req, r.result());
        trace.stage("encode", encodeStart, trace.now());
        HttpServerResponse resp = ctx.response()
            .putHeader("coedge-served-by", r.servedBy())
            .putHeader("coedge-route", r.route())
            .putHeader("coedge-queue-us", Long.toString(r.result().queueUs()))
            .putHeader("coedge-compute-us", Long.toString(r.result().computeUs()))
            .putHeader(Hop.PATH_HEADER, r.path());
        if (r.plan() != null) {
          resp.putHeader("coedge-plan", r.plan());
        }
        if (out.jsonLength() >= 0) {
          resp.putHeader(HEADER_LENGTH, Integer.toString(out.jsonLength()))
              .putHeader("content-type", "application/octet-stream");
        } else {
          resp.putHeader("content-type", "application/json");
        }
        resp.end(out.body());
      } else {
        Throwable f = ar.cause();
        metrics.failure(model, f);
        ctx.fail(f);
      }
      trace.end(trace.now(), ar.failed() ? ar.cause().getMessage() : null);
    });
  }

  private void relay(RoutingContext ctx, String model, Routed r) {
    Relayed a = r.relayed();
    metrics.success(model, a.version(), r.route(), a.queueUs(), a.computeUs());
    HttpServerResponse resp = ctx.response()
        .putHeader("coedge-served-by", r.servedBy())
        .putHeader("coedge-route", r.route())
        .putHeader("coedge-queue-us", Long.toString(a.queueUs()))
        .putHeader("coedge-compute-us", Long.toString(a.computeUs()))
        .putHeader("content-type", a.contentType() == null ? "application/json" : a.contentType())
        .putHeader(Hop.PATH_HEADER, r.path());
    if (r.plan() != null) {
      resp.putHeader("coedge-plan", r.plan());
    }
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
}
