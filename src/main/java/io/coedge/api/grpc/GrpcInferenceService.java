package io.coedge.api.grpc;

import static io.coedge.api.grpc.GrpcCalls.model;
import static io.coedge.api.grpc.ModelRpcs.orNull;

import io.coedge.api.InferMetrics;
import io.coedge.api.V2Routes;
import io.coedge.api.Versions;
import io.coedge.api.codec.CodecLimits;
import io.coedge.api.grpc.v2.GRPCInferenceServiceGrpcService;
import io.coedge.api.grpc.v2.ModelInferRequest;
import io.coedge.api.grpc.v2.ModelInferResponse;
import io.coedge.api.grpc.v2.RepositoryModelLoadRequest;
import io.coedge.api.grpc.v2.RepositoryModelLoadResponse;
import io.coedge.api.grpc.v2.RepositoryModelUnloadResponse;
import io.coedge.api.grpc.v2.ServerLiveResponse;
import io.coedge.api.grpc.v2.ServerMetadataResponse;
import io.coedge.api.grpc.v2.ServerReadyResponse;
import io.coedge.inference.InferRequest;
import io.coedge.inference.InferenceEngine;
import io.coedge.inference.InferenceException;
import io.coedge.inference.Tensor;
import io.coedge.observability.Health;
import io.coedge.observability.Metrics;
import io.coedge.observability.RequestTrace;
import io.coedge.observability.Tracing;
import io.coedge.routing.Call;
import io.coedge.routing.Routed;
import io.coedge.security.AuthHandler;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerRequest;
import java.util.function.Function;

/**
 * {@code inference.GRPCInferenceService} over the node's engine and router: one request path behind two codecs. A
 * {@code ModelInfer} message becomes the same {@link InferRequest} and {@link Call} a REST request does, goes through
 * the same {@code Router.route} (validation, admission, batching, offload) and its answer is encoded with
 * {@code raw_output_contents}, as Triton answers. The gRPC deadline ({@code grpc-timeout}) is the request's deadline.
 */
public final class GrpcInferenceService {

  private static final Buffer NO_BODY = Buffer.buffer();

  private final InferenceEngine engine;
  private final Function<Call, Future<Routed>> router;
  private final Health health;
  private final InferMetrics metrics;
  private final ProtoRequests decoder;
  private final ModelRpcs models;
  private final GrpcCalls calls;
  private final boolean forwardable;
  private final Tracing tracing;

  /**
   * @param forwardable whether a request may be offloaded from this node (then each carries its REST binary form
   *                    for the cloud node; see {@link RestBody})
   * @param tracing     where request traces start (a caller's {@code traceparent}/{@code tracestate} metadata)
   */
  public GrpcInferenceService(InferenceEngine engine, Function<Call, Future<Routed>> router, Health health,
      AuthHandler gate, Metrics metrics, CodecLimits limits, boolean forwardable, Tracing tracing) {
    this.tracing = tracing;
    this.engine = engine;
    this.router = router;
    this.health = health;
    this.metrics = new InferMetrics(metrics);
    this.decoder = new ProtoRequests(limits);
    this.models = new ModelRpcs(engine);
    this.calls = new GrpcCalls(gate);
    this.forwardable = forwardable;
  }

  /** Binds every RPC of the service on {@code server}. */
  public void bind(GrpcServer server) {
    calls.unary(server, GRPCInferenceServiceGrpcService.ServerLive, q -> "/v2/health/live",
        (q, c) -> Future.succeededFuture(ServerLiveResponse.newBuilder().setLive(true).build()));
    calls.unary(server, GRPCInferenceServiceGrpcService.ServerReady, q -> "/v2/health/ready",
        (q, c) -> Future.succeededFuture(ServerReadyResponse.newBuilder().setReady(health.ready()).build()));
    calls.unary(server, GRPCInferenceServiceGrpcService.ServerMetadata, q -> "/v2",
        (q, c) -> Future.succeededFuture(ServerMetadataResponse.newBuilder().setName(V2Routes.SERVER_NAME)
            .setVersion(Versions.BUILD).addAllExtensions(V2Routes.EXTENSIONS).build()));
    calls.unary(server, GRPCInferenceServiceGrpcService.ModelReady, q -> model(q.getName(), "/ready"),
        (q, c) -> Future.succeededFuture(models.ready(q.getName(), orNull(q.getVersion()))));
    calls.unary(server, GRPCInferenceServiceGrpcService.ModelMetadata, q -> model(q.getName(), ""),
        (q, c) -> Future.succeededFuture(models.metadata(q.getName(), orNull(q.getVersion()))));
    calls.unary(server, GRPCInferenceServiceGrpcService.ModelConfig, q -> model(q.getName(), "/config"),
        (q, c) -> Future.succeededFuture(models.config(q.getName(), orNull(q.getVersion()))));
    calls.unary(server, GRPCInferenceServiceGrpcService.ModelStatistics,
        q -> q.getName().isEmpty() ? "/v2/models/stats" : model(q.getName(), "/stats"),
        (q, c) -> Future.succeededFuture(models.statistics(orNull(q.getName()), orNull(q.getVersion()))));
    calls.unary(server, GRPCInferenceServiceGrpcService.RepositoryIndex, q -> "/v2/repository/index",
        (q, c) -> Future.succeededFuture(models.index(q.getReady())));
    calls.unary(server, GRPCInferenceServiceGrpcService.RepositoryModelLoad,
        q -> "/v2/repository/models/" + segment(q.getModelName()) + "/load",
        (q, c) -> engine.control().load(q.getModelName(), config(q))
            .map(x -> RepositoryModelLoadResponse.getDefaultInstance()));
    calls.unary(server, GRPCInferenceServiceGrpcService.RepositoryModelUnload,
        q -> "/v2/repository/models/" + segment(q.getModelName()) + "/unload",
        (q, c) -> engine.control().unload(q.getModelName()).map(x -> RepositoryModelUnloadResponse.getDefaultInstance()));
    calls.unary(server, GRPCInferenceServiceGrpcService.ModelInfer, q -> model(q.getModelName(), "/infer"),
        this::infer);
    new StreamInfer(calls, this::infer).bind(server);
  }

  /** The open gRPC calls (streams included), for the {@code coedge_grpc_open_streams} gauge. */
  public int openCalls() {
    return calls.openCount();
  }

  private static String segment(String name) {
    return model(name, "").substring("/v2/models/".length());
  }

  private static String config(RepositoryModelLoadRequest q) {
    var p = q.getParametersMap().get("config");
    if (p == null) {
      return null;
    }
    if (!p.hasStringParam()) {
      throw InferenceException.invalid("parameter 'config' must be a string_param holding the model's config (JSON "
          + "or YAML)");
    }
    return p.getStringParam();
  }

  /** Decodes, routes and encodes one infer request; fails with the error the client is to see. */
  Future<ModelInferResponse> infer(ModelInferRequest q, GrpcServerRequest<?, ?> call) {
    RequestTrace trace = tracing.on() ? tracing.begin("infer", q.getModelName(), call.headers().get("traceparent"),
        call.headers().get("tracestate"), System.nanoTime()) : RequestTrace.NONE;
    // unary only: a stream's one set of response metadata is shared by all its requests
    if (trace.traced() && call.fullMethodName().endsWith("/ModelInfer")) {
      call.response().headers().set(RequestTrace.TRACE_ID_HEADER, trace.traceId());
    }
    try {
      return infer(q, call, trace).andThen(ar -> trace.end(trace.now(), ar.failed() ? ar.cause().getMessage() : null));
    } catch (RuntimeException e) { // a decode failure
      trace.end(trace.now(), e.getMessage());
      throw e;
    }
  }

  private Future<ModelInferResponse> infer(ModelInferRequest q, GrpcServerRequest<?, ?> call, RequestTrace trace) {
    long decodeStart = trace.now();
    InferRequest req = decoder.decode(q, deadlineUs(call.headers().get("grpc-timeout"), call.timeout()));
    RestBody.Encoded fwd = forwardable ? RestBody.encode(req) : null;
    Call c = new Call(req, fwd == null ? NO_BODY : fwd.body(), RestBody.CONTENT_TYPE,
        fwd == null ? null : fwd.jsonLength(), false, trace);
    trace.stage("decode", decodeStart, trace.now());
    String name = req.model();
    return router.apply(c).transform(ar -> {
      if (ar.failed()) {
        metrics.failure(name, ar.cause());
        return Future.failedFuture(ar.cause());
      }
      long encodeStart = trace.now();
      Routed r = ar.result();
      trace.attribute("coedge.route", r.route());
      trace.attribute("coedge.served_by", r.servedBy());
      ModelInferResponse out;
      if (r.relayed() != null) {
        metrics.success(name, r.relayed().version(), r.route(), r.relayed().queueUs(), r.relayed().computeUs());
        out = RestBody.decode(r.relayed(), name, req.id());
      } else {
        metrics.success(name, r.result().version(), r.route(), r.result().queueUs(), r.result().computeUs());
        out = encode(req, r);
      }
      trace.stage("encode", encodeStart, trace.now());
      return Future.succeededFuture(out);
    });
  }

  /** Outputs in the order the request listed them, else the result's, each in {@code raw_output_contents}. */
  private static ModelInferResponse encode(InferRequest req, Routed r) {
    ModelInferResponse.Builder b = ModelInferResponse.newBuilder().setModelName(r.result().model())
        .setModelVersion(r.result().version());
    if (req.id() != null) {
      b.setId(req.id());
    }
    var outputs = r.result().outputs();
    int n = req.outputs().isEmpty() ? outputs.size() : req.outputs().size();
    for (int i = 0; i < n; i++) {
      Tensor t = req.outputs().isEmpty() ? outputs.get(i) : find(outputs, req.outputs().get(i).name());
      ModelInferResponse.InferOutputTensor.Builder o = ModelInferResponse.InferOutputTensor.newBuilder()
          .setName(t.name()).setDatatype(t.type().name());
      for (long d : t.shape()) {
        o.addShape(d);
      }
      b.addOutputs(o).addRawOutputContents(RawTensors.of(t));
    }
    return b.build();
  }

  private static Tensor find(java.util.List<Tensor> outputs, String name) {
    for (Tensor t : outputs) {
      if (t.name().equals(name)) {
        return t;
      }
    }
    throw new IllegalStateException("the result has no output '" + name + "'");
  }

  /**
   * The request's deadline in µs from its {@code grpc-timeout} header (digits and a unit: H, M, S, m, u, n), at least
   * 1 µs when one is set: Vert.x reports it in whole ms, which turns a sub-millisecond deadline into "none".
   * {@code fallbackMs}: Vert.x's figure, used when the header does not parse.
   */
  static long deadlineUs(String header, long fallbackMs) {
    if (header == null || header.length() < 2 || header.length() > 9) {
      return fallbackMs * 1000;
    }
    long n;
    try {
      n = Long.parseLong(header.substring(0, header.length() - 1));
    } catch (NumberFormatException e) {
      return fallbackMs * 1000;
    }
    double us = switch (header.charAt(header.length() - 1)) {
      case 'H' -> n * 3_600e6;
      case 'M' -> n * 60e6;
      case 'S' -> n * 1e6;
      case 'm' -> n * 1e3;
      case 'u' -> n;
      case 'n' -> n / 1e3;
      default -> fallbackMs * 1000.0;
    };
    return us <= 0 ? 0 : Math.max(1, (long) Math.ceil(us));
  }
}
