package io.coedge.observability;

import io.coedge.config.ObservabilityConfig;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Traces exported with OpenTelemetry's OTLP/HTTP (protobuf) exporter over the JDK's HTTP client, in batches from
 * the SDK's own thread (a bounded queue: spans are dropped, never buffered without end, when the collector is slow).
 * The sampling decision is {@link TraceSettings}' and is taken before any span exists; the SDK samples every span it
 * is asked for.
 */
public final class OtelTracing implements Tracing {

  private static final TextMapGetter<String[]> HEADERS = new TextMapGetter<>() {
    @Override
    public Iterable<String> keys(String[] carrier) {
      return List.of("traceparent", "tracestate");
    }

    @Override
    public String get(String[] carrier, String key) {
      return carrier == null ? null : "traceparent".equals(key) ? carrier[0] : carrier[1];
    }
  };

  private final SdkTracerProvider provider;
  private final Tracer tracer;
  private final TraceSettings settings;
  private final AttributeKey<String> modelKey = AttributeKey.stringKey("coedge.model");
  /** {@link System#nanoTime()} + this = nanoseconds since the epoch. */
  private final long epochOffsetNs;

  public OtelTracing(ObservabilityConfig config, String nodeId) {
    this.settings = new TraceSettings(config.traceSampling());
    OtlpHttpSpanExporter exporter = OtlpHttpSpanExporter.builder().setEndpoint(config.otlpEndpoint()).build();
    this.provider = SdkTracerProvider.builder()
        .setResource(Resource.getDefault().merge(Resource.create(Attributes.of(
            AttributeKey.stringKey("service.name"), "coedge",
            AttributeKey.stringKey("service.instance.id"), nodeId))))
        .setSampler(Sampler.alwaysOn())
        .addSpanProcessor(BatchSpanProcessor.builder(exporter).setScheduleDelay(Duration.ofSeconds(1)).build())
        .build();
    this.tracer = provider.get("io.coedge");
    Instant now = Instant.now();
    this.epochOffsetNs = now.getEpochSecond() * 1_000_000_000L + now.getNano() - System.nanoTime();
  }

  @Override
  public boolean on() {
    return true;
  }

  @Override
  public RequestTrace begin(String name, String model, String traceparent, String tracestate, long startNs) {
    Context parent = traceparent == null ? Context.root() : W3CTraceContextPropagator.getInstance()
        .extract(Context.root(), new String[] {traceparent, tracestate}, HEADERS);
    SpanContext remote = Span.fromContext(parent).getSpanContext();
    if (!settings.sample(model, remote.isValid() ? remote.isSampled() : null)) {
      return RequestTrace.NONE;
    }
    Span span = tracer.spanBuilder(name).setParent(remote.isValid() ? parent : Context.root())
        .setSpanKind(SpanKind.SERVER).setStartTimestamp(epochNs(startNs), java.util.concurrent.TimeUnit.NANOSECONDS)
        .setAttribute(modelKey, model).startSpan();
    return new OtelRequestTrace(tracer, span, epochOffsetNs);
  }

  private long epochNs(long nanoTime) {
    return nanoTime + epochOffsetNs;
  }

  @Override
  public TraceSettings settings() {
    return settings;
  }

  @Override
  public Future<Void> close() {
    Promise<Void> done = Promise.promise();
    provider.shutdown().whenComplete(() -> done.tryComplete());
    return done.future();
  }
}
