package io.coedge.api;

import io.coedge.inference.InferenceException;
import io.coedge.observability.MetricName;
import io.coedge.observability.Metrics;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The infer metrics of both protocols (REST and gRPC): handles made once per model, version and route (or reason),
 * then only recorded. A failure's model label comes from the client's path, so a 404 is counted under
 * {@value #UNKNOWN}: a client sending random model names must not grow the registry without end (every other
 * failure is of a model the node serves).
 */
public final class InferMetrics {

  static final String UNKNOWN = "(unknown)";

  private record Success(Metrics.Counter count, Metrics.Timer queue, Metrics.Timer compute) {
  }

  /** A success's labels; its hash uses the strings' cached hashes (no label string is built per request). */
  private record Key(String model, String version, String route) {
  }

  private final Metrics metrics;
  private final Map<Key, Success> successes = new ConcurrentHashMap<>();
  private final Map<String, Metrics.Counter> failures = new ConcurrentHashMap<>();

  public InferMetrics(Metrics metrics) {
    this.metrics = metrics;
  }

  public void success(String model, String version, String route, long queueUs, long computeUs) {
    Key key = new Key(model, version, route);
    Success s = successes.get(key); // get first: computeIfAbsent may lock the bin even when the key is there
    if (s == null) {
      s = successes.computeIfAbsent(key, k -> new Success(
          metrics.counter(MetricName.INFER_SUCCESS, model, version, route),
          metrics.timer(MetricName.QUEUE_DURATION, model, version),
          metrics.timer(MetricName.COMPUTE_DURATION, model, version)));
    }
    s.count().increment();
    s.queue().recordMicros(queueUs);
    s.compute().recordMicros(computeUs);
  }

  /** Counts a failed request by what the client was told (invalid, not_found, overloaded, the status, internal). */
  public void failure(String model, Throwable f) {
    failure(model, f instanceof InferenceException e ? reason(e) : "internal");
  }

  private static String reason(InferenceException e) {
    return switch (e.status()) {
      case 400 -> "invalid";
      case 404 -> "not_found";
      case 503 -> "overloaded";
      default -> Integer.toString(e.status());
    };
  }

  private void failure(String model, String reason) {
    String label = "not_found".equals(reason) ? UNKNOWN : model;
    failures.computeIfAbsent(label + '\0' + reason, k -> metrics.counter(MetricName.INFER_FAILURE, label, reason))
        .increment();
  }
}
