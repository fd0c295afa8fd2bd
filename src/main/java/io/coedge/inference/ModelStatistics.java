package io.coedge.inference;

import java.util.Map;
import java.util.TreeMap;

/**
 * What one model version has done on this node since it loaded, in the terms of Triton's statistics extension:
 * requests that succeeded or failed (count and total time from the engine taking them to their answer), the time
 * the successful ones queued and computed, rows inferred, batches executed, and per batch size how many batches
 * ran and for how long. Requests this node offloaded are not here: they ran elsewhere. Thread-safe.
 */
public final class ModelStatistics {

  /** A count and a total duration, ns. */
  public record Duration(long count, long ns) {

    Duration plus(long nanos) {
      return new Duration(count + 1, ns + nanos);
    }
  }

  /**
   * A consistent copy.
   *
   * @param lastInferenceMs wall-clock ms of the last successful request, 0 before any
   * @param inferenceCount  rows inferred by successful requests
   * @param executionCount  batches executed
   * @param batches         per batch size (rows), the batches of that size and their compute time
   */
  public record Snapshot(String model, String version, long lastInferenceMs, long inferenceCount,
      long executionCount, Duration success, Duration fail, Duration queue, Duration compute,
      Map<Integer, Duration> batches) {
  }

  private static final Duration NONE = new Duration(0, 0);

  private final String model;
  private final String version;
  private long lastInferenceMs;
  private long inferenceCount;
  private long executionCount;
  private Duration success = NONE;
  private Duration fail = NONE;
  private Duration queue = NONE;
  private Duration compute = NONE;
  private final Map<Integer, Duration> batches = new TreeMap<>();

  public ModelStatistics(String model, String version) {
    this.model = model;
    this.version = version;
  }

  /** A request answered: {@code rows} rows, {@code totalNanos} since the engine took it. */
  public synchronized void succeeded(int rows, long totalNanos, long queueUs, long computeUs, long wallMs) {
    success = success.plus(totalNanos);
    queue = queue.plus(queueUs * 1000);
    compute = compute.plus(computeUs * 1000);
    inferenceCount += rows;
    lastInferenceMs = Math.max(lastInferenceMs, wallMs);
  }

  /** A request that reached this model version and failed (invalid, refused, timed out or the run failed). */
  public synchronized void failed(long totalNanos) {
    fail = fail.plus(totalNanos);
  }

  /** One batch of {@code rows} rows executed in {@code nanos}. */
  public synchronized void executed(int rows, long nanos) {
    executionCount++;
    batches.merge(rows, new Duration(1, nanos), (a, b) -> new Duration(a.count() + 1, a.ns() + b.ns()));
  }

  public synchronized Snapshot snapshot() {
    return new Snapshot(model, version, lastInferenceMs, inferenceCount, executionCount, success, fail, queue,
        compute, Map.copyOf(batches));
  }
}
