package io.coedge.observability;

/**
 * One request's trace as the request path sees it: a span for the request and one per stage, each given its start
 * and end ({@link System#nanoTime()} values) after the fact, so nothing waits on a span and the worker threads never
 * touch one. {@link #NONE} is what an untraced request carries: every method does nothing and {@link #now()} reads
 * no clock, so an untraced request costs one call per stage.
 */
public interface RequestTrace {

  /** Header the node answers with the trace id of a traced request. */
  String TRACE_ID_HEADER = "coedge-trace-id";

  /** An untraced request. */
  RequestTrace NONE = new RequestTrace() {
  };

  default boolean traced() {
    return false;
  }

  /** The current {@link System#nanoTime()} when traced; 0, without reading the clock, when not. */
  default long now() {
    return 0;
  }

  /** A finished stage: a child span of the request's span. */
  default void stage(String name, long startNs, long endNs) {
  }

  /** A stage still under way (a call to another node, a compute with its steps); end it with {@link Stage#end}. */
  default Stage open(String name, long startNs) {
    return Stage.NONE;
  }

  /** An attribute of the request's span ({@code coedge.route}, {@code coedge.served_by}, ...). */
  default void attribute(String key, String value) {
  }

  /** The 32-hex trace id, or null when not traced. */
  default String traceId() {
    return null;
  }

  /** Ends the request's span; {@code failure} (null when it succeeded) marks it as an error. */
  default void end(long endNs, String failure) {
  }

  /** A span that is still open: what a remote call passes on, and where the steps of a stage hang. */
  interface Stage {

    Stage NONE = new Stage() {
    };

    /** The W3C {@code traceparent} naming this span as the parent, or null when not traced. */
    default String traceparent() {
      return null;
    }

    /** A finished step of this stage (a child span). */
    default void step(String name, long startNs, long endNs) {
    }

    default void end(long endNs, String failure) {
    }
  }
}
