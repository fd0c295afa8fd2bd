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

  /** Compute split in Triton's three steps (see {@link ComputeTimes}): input tensors, the run, output copies. */
  public record Compute(Duration input, Duration infer, Duration output) {
  }

  /**
   * A consistent copy. A request's compute is its batch's (as in Triton), so with one request per batch the
   * per-request and per-batch compute totals are equal, and with batching the per-request ones are larger.
   *
   * @param lastInferenceMs wall-clock ms of the last successful request, 0 before any
   * @param inferenceCount  rows inferred by successful requests
   * @param executionCount  batches executed
   * @param compute         per successful request, the compute of the batch it ran in
   * @param batches         per batch size (rows, ascending), the batches of that size and their compute
   * @param p99Us           99th percentile of every request's time here (succeeded or failed), µs; 0 before any
   */
  public record Snapshot(String model, String version, long lastInferenceMs, long inferenceCount,
      long executionCount, Duration success, Duration fail, Duration queue, Compute compute,
      Map<Integer, Compute> batches, double p99Us) {
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
  private long inputNs;
  private long computeNs;
  private long outputNs;
  private final TreeMap<Integer, long[]> batches = new TreeMap<>(); // rows → {count, input, infer, output ns}
  private final LatencyHistogram latency = new LatencyHistogram(); // every request's total time, for p99

  public ModelStatistics(String model, String version) {
    this.model = model;
    this.version = version;
  }

  /**
   * A request answered: {@code rows} rows, {@code totalNanos} since the engine took it; {@code times} its batch's
   * compute (null: all of {@code computeUs} counts as the run).
   */
  public synchronized void succeeded(int rows, long totalNanos, long queueUs, long computeUs, ComputeTimes times,
      long wallMs) {
    successCount++;
    successNs += totalNanos;
    latency.record(totalNanos);
    queueNs += queueUs * 1000;
    inputNs += times == null ? 0 : times.inputNs();
    computeNs += times == null ? computeUs * 1000 : times.inferNs();
    outputNs += times == null ? 0 : times.outputNs();
    inferenceCount += rows;
    lastInferenceMs = Math.max(lastInferenceMs, wallMs);
  }

  /** A request that reached this model version and failed (invalid, refused, timed out or the run failed). */
  public synchronized void failed(long totalNanos) {
    failCount++;
    failNs += totalNanos;
    latency.record(totalNanos);
  }

  /** One batch of {@code rows} rows executed. */
  public synchronized void executed(ComputeTimes times, int rows) {
    executionCount++;
    long[] b = batches.computeIfAbsent(rows, r -> new long[4]);
    b[0]++;
    b[1] += times.inputNs();
    b[2] += times.inferNs();
    b[3] += times.outputNs();
  }

  /** A consistent copy; {@code batches} in ascending batch size. */
  public synchronized Snapshot snapshot() {
    Map<Integer, Compute> sizes = new LinkedHashMap<>();
    batches.forEach((rows, b) -> sizes.put(rows,
        new Compute(new Duration(b[0], b[1]), new Duration(b[0], b[2]), new Duration(b[0], b[3]))));
    Compute compute = new Compute(new Duration(successCount, inputNs), new Duration(successCount, computeNs),
        new Duration(successCount, outputNs));
    return new Snapshot(model, version, lastInferenceMs, inferenceCount, executionCount,
        new Duration(successCount, successNs), new Duration(failCount, failNs), new Duration(successCount, queueNs),
        compute, Collections.unmodifiableMap(sizes), latency.quantileUs(0.99));
  }
}
