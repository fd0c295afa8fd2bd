package io.coedge.config;

import java.nio.file.Path;
import java.util.List;

/**
 * The model repository, the worker pool and the scheduler defaults that a model's own
 * {@code config.yaml} may override.
 *
 * @param workers            inference worker threads; workers × intraOpThreads ≤ cores
 * @param maxBatchSize       default for models whose config is silent (0 = no batching)
 * @param maxQueueDelayUs    how long a partial batch may wait to fill
 * @param maxQueue           queued requests per model version before 503
 * @param defaultTimeoutUs   deadline for requests that give no {@code timeout}; 0 = none
 * @param modelControl       {@code none} (load at start only), {@code poll} (re-scan the repository) or
 *                           {@code explicit} (load at start, then only through the repository API)
 * @param pollIntervalS      seconds between repository scans in {@code poll} mode
 * @param inlineMaxUs        a job expected to take at most this long runs on the event loop that received it when
 *                           a worker is idle (no hand-off); 0 = every job goes to the workers
 */
public record InferenceConfig(
    Path modelsDir,
    int workers,
    int intraOpThreads,
    int maxBatchSize,
    long maxQueueDelayUs,
    int maxQueue,
    long defaultTimeoutUs,
    long maxElements,
    String modelControl,
    int pollIntervalS,
    long inlineMaxUs) {

  static final ConfigKey MODELS = ConfigKey.of("inference.models-dir", "models",
      "Model repository: `<name>/<version>/model.onnx`, optional `<name>/config.yaml`");
  static final ConfigKey WORKERS = ConfigKey.of("inference.workers", "0",
      "Inference worker threads; 0 = cores / intra-op threads");
  static final ConfigKey INTRA_OP = ConfigKey.of("inference.intra-op-threads", "1",
      "ONNX Runtime threads per inference");
  static final ConfigKey MAX_BATCH = ConfigKey.of("inference.max-batch-size", "64",
      "Default ceiling of the learnt batch size for models whose config.yaml is silent (0 = no batching)");
  static final ConfigKey QUEUE_DELAY = ConfigKey.of("inference.max-queue-delay-us", "0",
      "Default time a partial batch may wait to fill (µs); 0 = never wait, batches form from what queued");
  static final ConfigKey MAX_QUEUE = ConfigKey.of("inference.max-queue", "256",
      "Default queued requests per model version before 503");
  static final ConfigKey TIMEOUT = ConfigKey.of("inference.default-timeout-us", "0",
      "Deadline for requests without a `timeout` parameter (µs); 0 = none");
  static final ConfigKey MAX_ELEMENTS = ConfigKey.of("inference.max-elements", "16777216",
      "Largest element count of one input tensor");

  static final ConfigKey MODEL_CONTROL = ConfigKey.of("inference.model-control", "none",
      "`none`: load the repository at start; `poll`: also re-scan it; `explicit`: also load/unload through "
          + "`/v2/repository`");
  static final ConfigKey POLL_INTERVAL = ConfigKey.of("inference.poll-interval-s", "10",
      "Seconds between repository scans with `model-control: poll`");
  static final ConfigKey INLINE_MAX = ConfigKey.of("inference.inline-max-us", "100",
      "A job expected to take at most this long (µs) runs at once on the event loop that received it while a worker "
          + "is idle, without a hand-off; 0 = every job goes to the workers (batches form whenever requests overlap)");

  public static final List<String> MODEL_CONTROLS = List.of("none", "poll", "explicit");
  public static final int CORES = Runtime.getRuntime().availableProcessors();

  public InferenceConfig {
    if (workers < 1) {
      throw ConfigException.badValue(WORKERS, String.valueOf(workers), "allowed: 0 (auto) or at least 1");
    }
    if (!MODEL_CONTROLS.contains(modelControl)) {
      throw ConfigException.badValue(MODEL_CONTROL, modelControl, "allowed: " + String.join(", ", MODEL_CONTROLS));
    }
    if (pollIntervalS < 1 || pollIntervalS > 86_400) {
      throw ConfigException.badValue(POLL_INTERVAL, String.valueOf(pollIntervalS), "allowed: 1 to 86400");
    }
  }

  static InferenceConfig from(ConfigSource s) {
    int intra = s.intValue(INTRA_OP, 1, 256);
    int workers = s.intValue(WORKERS, 0, 1024);
    if (workers == 0) {
      workers = Math.max(1, CORES / intra);
    }
    return new InferenceConfig(Path.of(s.string(MODELS)), workers, intra,
        s.intValue(MAX_BATCH, 0, 4096), s.longValue(QUEUE_DELAY, 0, 10_000_000), s.intValue(MAX_QUEUE, 1, 1_000_000),
        s.longValue(TIMEOUT, 0, 3_600_000_000L), s.longValue(MAX_ELEMENTS, 1, 1L << 31),
        s.oneOf(MODEL_CONTROL, MODEL_CONTROLS.toArray(String[]::new)), s.intValue(POLL_INTERVAL, 1, 86_400),
        s.longValue(INLINE_MAX, 0, 10_000));
  }
}
