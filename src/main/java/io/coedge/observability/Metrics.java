package io.coedge.observability;

import java.util.function.Supplier;

/**
 * The metrics the gateway records, behind a tiny interface so parts can be built and tested without a registry.
 * A part obtains its handles once, when it is wired (a {@link Counter} per label set it will use), and records
 * through them; names, help and label keys come from {@link MetricName}.
 */
public interface Metrics {

  Metrics NOOP = new Metrics() {
  };

  /** A monotonic sum. */
  interface Counter {
    Counter NOOP = amount -> { };

    void add(double amount);

    default void increment() {
      add(1);
    }
  }

  /** Durations. */
  interface Timer {
    Timer NOOP = micros -> { };

    void recordMicros(long micros);
  }

  /** A distribution of plain values. */
  interface Histogram {
    Histogram NOOP = value -> { };

    void record(double value);
  }

  /** The counter {@code name} with these label values (in {@link MetricName#labels()} order), registered now. */
  default Counter counter(MetricName name, String... labelValues) {
    name.tags(MetricName.Kind.COUNTER, labelValues);
    return Counter.NOOP;
  }

  /** The timer {@code name} with these label values, registered now. */
  default Timer timer(MetricName name, String... labelValues) {
    name.tags(MetricName.Kind.TIMER, labelValues);
    return Timer.NOOP;
  }

  /** The histogram or summary {@code name} with these label values, registered now. */
  default Histogram histogram(MetricName name, String... labelValues) {
    name.tags(name.kind() == MetricName.Kind.SUMMARY ? MetricName.Kind.SUMMARY : MetricName.Kind.HISTOGRAM,
        labelValues);
    return Histogram.NOOP;
  }

  /** Registers the gauge {@code name} with these label values, read from {@code value} when scraped. */
  default void gauge(MetricName name, Supplier<Number> value, String... labelValues) {
    name.tags(MetricName.Kind.GAUGE, labelValues);
  }

  /** Prometheus text exposition of everything registered; empty for NOOP. */
  default String scrape() {
    return "";
  }
}
