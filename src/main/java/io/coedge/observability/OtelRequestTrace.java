package io.coedge.observability;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.util.concurrent.TimeUnit;

/** A traced request: its server span and the stage spans under it, timed from {@link System#nanoTime()} values. */
final class OtelRequestTrace implements RequestTrace {

  private final Tracer tracer;
  private final Span span;
  private final Context context;
  private final long epochOffsetNs;

  OtelRequestTrace(Tracer tracer, Span span, long epochOffsetNs) {
    this.tracer = tracer;
    this.span = span;
    this.context = Context.root().with(span);
    this.epochOffsetNs = epochOffsetNs;
  }

  @Override
  public boolean traced() {
    return true;
  }

  @Override
  public long now() {
    return System.nanoTime();
  }

  @Override
  public void stage(String name, long startNs, long endNs) {
    child(context, name, SpanKind.INTERNAL, startNs).end(endNs + epochOffsetNs, TimeUnit.NANOSECONDS);
  }

  @Override
  public Stage open(String name, long startNs) {
    Span s = child(context, name, name.startsWith("offload") ? SpanKind.CLIENT : SpanKind.INTERNAL, startNs);
    Context inner = context.with(s);
    return new Stage() {
      @Override
      public String traceparent() {
        SpanContext c = s.getSpanContext();
        return "00-" + c.getTraceId() + "-" + c.getSpanId() + "-" + c.getTraceFlags().asHex();
      }

      @Override
      public void step(String step, long from, long to) {
        child(inner, step, SpanKind.INTERNAL, from).end(to + epochOffsetNs, TimeUnit.NANOSECONDS);
      }

      @Override
      public void end(long endNs, String failure) {
        finish(s, endNs, failure);
      }
    };
  }

  private Span child(Context parent, String name, SpanKind kind, long startNs) {
    return tracer.spanBuilder(name).setParent(parent).setSpanKind(kind)
        .setStartTimestamp(startNs + epochOffsetNs, TimeUnit.NANOSECONDS).startSpan();
  }

  @Override
  public void attribute(String key, String value) {
    if (value != null) {
      span.setAttribute(AttributeKey.stringKey(key), value);
    }
  }

  @Override
  public String traceId() {
    return span.getSpanContext().getTraceId();
  }

  @Override
  public void end(long endNs, String failure) {
    finish(span, endNs, failure);
  }

  private void finish(Span s, long endNs, String failure) {
    if (failure != null) {
      s.setStatus(StatusCode.ERROR, failure);
    }
    s.end(endNs + epochOffsetNs, TimeUnit.NANOSECONDS);
  }
}
