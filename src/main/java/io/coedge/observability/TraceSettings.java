package io.coedge.observability;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntUnaryOperator;

/**
 * Which requests are traced, in the terms of Triton's trace extension: a level ({@code OFF} or {@code TIMESTAMPS}),
 * a rate (one request in {@code rate} starts a trace, at random; 0 = none does) and a count (traces left to take; -1 = no limit).
 * Global values, and per model any of them overridden. Parent-based: a request whose caller's {@code traceparent}
 * says "sampled" is traced while the level is not OFF, one that says "not sampled" never; the rate applies only to
 * requests that come without a parent. Changed at run time; read on every traced-capable request (lock-free).
 */
public final class TraceSettings {

  public enum Level { OFF, TIMESTAMPS }

  /** One scope's settings; in a model's overrides a null field means "the global value". */
  public record Values(Level level, Integer rate, Long count) {

    Values over(Values global) {
      return new Values(level == null ? global.level : level, rate == null ? global.rate : rate,
          count == null ? global.count : count);
    }
  }

  private final Values initial;
  private final IntUnaryOperator random;
  private volatile Scope global;
  private final Map<String, Scope> models = new ConcurrentHashMap<>();

  /**
   * From a sampling ratio (0 to 1): one in round(1 / ratio) requests without a parent starts a trace; ratio 0 = none
   * does (requests with a sampled parent are still traced).
   */
  public TraceSettings(double ratio) {
    this(ratio, n -> ThreadLocalRandom.current().nextInt(n));
  }

  /** As {@link #TraceSettings(double)} with the random source (bound → a value in [0, bound)) a test chooses. */
  TraceSettings(double ratio, IntUnaryOperator random) {
    this.initial = new Values(Level.TIMESTAMPS, ratio > 0 ? (int) Math.max(1, Math.round(1 / ratio)) : 0, -1L);
    this.random = random;
    this.global = new Scope(initial);
  }

  /** A scope's values and, when its count is limited, the traces it has left. */
  private record Scope(Values values, AtomicLong left) {

    Scope(Values values) {
      this(values, new AtomicLong(values.count() == null ? -1 : values.count()));
    }
  }

  /**
   * Decides whether one request is traced, and when it is, counts it against {@code trace_count}.
   *
   * @param parentSampled the sampled flag of a valid incoming {@code traceparent}, or null when none came
   */
  public boolean sample(String model, Boolean parentSampled) {
    Scope own = models.get(model);
    Scope g = global;
    Values v = own == null ? g.values : own.values.over(g.values);
    if (v.level == Level.OFF || Boolean.FALSE.equals(parentSampled)) {
      return false;
    }
    if (parentSampled == null && (v.rate == 0 || v.rate > 1 && random.applyAsInt(v.rate) != 0)) {
      return false;
    }
    AtomicLong left = own != null && own.values.count != null ? own.left : g.left;
    return v.count < 0 || left.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
  }

  /** The global settings, with {@code count} as the traces left. */
  public Values global() {
    Scope g = global;
    return new Values(g.values.level, g.values.rate, g.values.count < 0 ? -1 : g.left.get());
  }

  /** What applies to {@code model} (its overrides over the global settings), count as the traces left. */
  public Values of(String model) {
    Scope own = models.get(model);
    Values g = global();
    if (own == null) {
      return g;
    }
    Values v = own.values.over(g);
    return own.values.count == null || v.count < 0 ? v : new Values(v.level, v.rate, own.left.get());
  }

  /** Replaces the global settings; a null field returns to the value the node started with. */
  public void setGlobal(Values v) {
    global = new Scope(v.over(initial));
  }

  /** Replaces {@code model}'s overrides; null fields follow the global settings. */
  public void setModel(String model, Values v) {
    if (v.level == null && v.rate == null && v.count == null) {
      models.remove(model);
    } else {
      models.put(model, new Scope(v));
    }
  }

  /** {@code model}'s own overrides (all null when it has none). */
  public Values overrides(String model) {
    Scope own = models.get(model);
    return own == null ? new Values(null, null, null) : own.values;
  }
}
