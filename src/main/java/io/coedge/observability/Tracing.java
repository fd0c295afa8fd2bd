package io.coedge.observability;

import io.vertx.core.Future;

/**
 * Where request traces start: {@link #OFF} when no OTLP endpoint is configured (checked once per request through
 * {@link #on()}, nothing else runs), else an exporter behind {@link #begin}. Any codec calls it the same way: with
 * the model, the caller's W3C {@code traceparent}/{@code tracestate} (null when absent) and when the request began.
 */
public interface Tracing {

  /** Tracing off: {@link #begin} is never worth calling. */
  Tracing OFF = new Tracing() {
    private final TraceSettings settings = new TraceSettings(0);

    @Override
    public boolean on() {
      return false;
    }

    @Override
    public RequestTrace begin(String name, String model, String traceparent, String tracestate, long startNs) {
      return RequestTrace.NONE;
    }

    @Override
    public TraceSettings settings() {
      return settings;
    }

    @Override
    public Future<Void> close() {
      return Future.succeededFuture();
    }
  };

  /** False when spans go nowhere: callers then skip {@link #begin} and carry {@link RequestTrace#NONE}. */
  boolean on();

  /**
   * The trace of one request, or {@link RequestTrace#NONE} when the {@link #settings()} do not sample it. A
   * {@code traceparent} that is not valid W3C trace context is ignored (the request is then a new root).
   */
  RequestTrace begin(String name, String model, String traceparent, String tracestate, long startNs);

  /** The sampling, changeable at run time. */
  TraceSettings settings();

  /** Exports what is still buffered and stops. */
  Future<Void> close();
}
