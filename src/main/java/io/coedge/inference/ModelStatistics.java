package io.coedge.inference;

import java.util.Collections;
import java.util.LinkedHashMap;
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
  }

  /**
   * A consistent copy.
   *
   * @param lastInferenceMs wall-clock ms of the last successful request, 0 before any
   * @param inferenceCount  rows inferred by successful requests
   * @param executionCount  batches executed
   * @param batches         per batch size (rows, ascending), the batches of that size and their compute time
   */
  public record Snapshot(String model, String version, long lastInferenceMs, long inferenceCount,
      long executionCount, Duration success, Duration fail, Duration queue, Duration compute,
      Map<Integer, Duration> batches) {
  }

  private final String model;
  private final String version;
  private long lastInferenceMs;
  private long inferenceCount;
  private long executionCount;
  // per request: plain counters, no allocation
  private long successCount;
  private long successNs;
  private long failCount;
  private long failNs;
  private long queueNs;
  private long computeNs;
  private final TreeMap<Integer, long[]> batches = new TreeMap<>(); // rows → {count, ns}

  public ModelStatistics(String model, String version) {
    this.model = model;
    this.version = version;
  }

  /** A request answered: {@code rows} rows, {@code totalNanos} since the engine took it. */
  public synchronized void succeeded(int rows, long totalNanos, long queueUs, long computeUs, long wallMs) {
    successCount++;
    successNs += totalNanos;
    queueNs += queueUs * 1000;
    computeNs += computeUs * 1000;
    inferenceCount += rows;
    lastInferenceMs = Math.max(lastInferenceMs, wallMs);
  }

  /** A request that reached this model version and failed (invalid, refused, timed out or the run failed). */
  public synchronized void failed(long totalNanos) {
    failCount++;
    failNs += totalNanos;
  }

  /** One batch of {@code rows} rows executed in {@code nanos}. */
  public synchronized void executed(int rows, long nanos) {
    executionCount++;
    long[] b = batches.computeIfAbsent(rows, r -> new long[2]);
    b[0]++;
    b[1] += nanos;
  }

  /** A consistent copy; {@code batches} in ascending batch size. */
  public synchronized Snapshot snapshot() {
    Map<Integer, Duration> sizes = new LinkedHashMap<>();
    batches.forEach((rows, b) -> sizes.put(rows, new Duration(b[0], b[1])));
    return new Snapshot(model, version, lastInferenceMs, inferenceCount, executionCount,
        new Duration(successCount, successNs), new Duration(failCount, failNs), new Duration(successCount, queueNs),
        new Duration(successCount, computeNs), Collections.unmodifiableMap(sizes));
  }
}
