package io.coedge.observability;

import java.util.function.Supplier;

/** The metrics the gateway records, behind a tiny interface so parts can be built and tested without a registry. */
public interface Metrics {

  Metrics NOOP = new Metrics() {
  };

  default void inferSuccess(String model, String version, String route, long queueUs, long computeUs) {
  }

  default void inferFailure(String model, String reason) {
  }

  default void batch(String model, int rows) {
  }

  /** Registers a gauge of the requests waiting for one model version. */
  default void pending(String model, String version, Supplier<Number> pending) {
  }

  /** A gauge with free-form tags given as key, value pairs. */
  default void gauge(String name, String help, Supplier<Number> value, String... tags) {
  }

  /** Adds {@code amount} to a counter with free-form tags given as key, value pairs. */
  default void count(String name, double amount, String... tags) {
  }

  /** Records one observation of a distribution (published with its median, p90 and p99). */
  default void observe(String name, String help, double value, String... tags) {
  }

  /** Prometheus text exposition of everything registered; empty for NOOP. */
  default String scrape() {
    return "";
  }
}
