package io.coedge.inference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.coedge.config.InferenceConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a model's {@code config.yaml} adds to what the ONNX graph says. Every field has a default,
 * so a model folder with only {@code <version>/model.onnx} serves.
 *
 * @param maxBatchSize     largest batch (rows) the batcher forms; 0 = the model has no batch dimension
 * @param maxQueueDelayUs  how long a partial batch waits for more requests
 * @param maxQueue         queued requests before 503
 * @param timeoutUs        deadline for requests that give none (the model's latency objective); 0 = none
 * @param labels           class names for classifier outputs (informational)
 * @param policy           offload policy name (used by routing)
 * @param cascadeTarget    the larger model asked in cascade mode
 * @param cascadeThreshold top-class probability under which cascade asks the cloud
 * @param splitPoints      where the model may be split between this node and another (none by default)
 * @param splitPlan        {@code auto} (the cost model ranks the plans) or a fixed plan for baselines:
 *                         {@code local}, {@code remote}, {@code split@<point>} (used while it has a candidate)
 */
public record ModelConfig(
    int maxBatchSize,
    long maxQueueDelayUs,
    int maxQueue,
    long timeoutUs,
    List<String> labels,
    String policy,
    String cascadeTarget,
    double cascadeThreshold,
    List<SplitPoint> splitPoints,
    String splitPlan) {

  public static final Set<String> POLICIES = Set.of("edge-only", "local-first", "cost-optimal", "cloud-first",
      "cascade");
  private static final Set<String> KEYS = Set.of("max-batch-size", "max-queue-delay-us", "max-queue", "timeout-us",
      "labels", "policy", "cascade-target", "cascade-threshold", VersionPolicy.KEY, SplitPoint.KEY, "split-plan");

  public ModelConfig(int maxBatchSize, long maxQueueDelayUs, int maxQueue, long timeoutUs, List<String> labels,
      String policy, String cascadeTarget, double cascadeThreshold) {
    this(maxBatchSize, maxQueueDelayUs, maxQueue, timeoutUs, labels, policy, cascadeTarget, cascadeThreshold,
        List.of(), "auto");
  }

  public ModelConfig {
    labels = List.copyOf(labels);
    splitPoints = List.copyOf(splitPoints);
    String plan = splitPlan;
    require(List.of("auto", "local", "remote").contains(plan) || plan.startsWith("split@")
        && splitPoints.stream().anyMatch(p -> plan.equals("split@" + p.name())), "split-plan", plan,
        "auto, local, remote, split@<a declared split point>");
    require(maxBatchSize >= 0 && maxBatchSize <= 4096, "max-batch-size", maxBatchSize, "0 to 4096");
    require(maxQueueDelayUs >= 0 && maxQueueDelayUs <= 10_000_000, "max-queue-delay-us", maxQueueDelayUs,
        "0 to 10000000");
    require(maxQueue >= 1, "max-queue", maxQueue, "at least 1");
    require(timeoutUs >= 0, "timeout-us", timeoutUs, "0 (none) or more");
    require(POLICIES.contains(policy), "policy", policy, String.join(", ", POLICIES));
    require(cascadeThreshold >= 0 && cascadeThreshold <= 1, "cascade-threshold", cascadeThreshold, "0 to 1");
  }

  private static void require(boolean ok, String key, Object value, String allowed) {
    if (!ok) {
      throw new IllegalArgumentException("key '" + key + "': value '" + value + "' is not allowed; allowed: "
          + allowed);
    }
  }

  /** The defaults from the node's inference section. */
  public static ModelConfig defaults(InferenceConfig c) {
    return new ModelConfig(c.maxBatchSize(), c.maxQueueDelayUs(), c.maxQueue(), c.defaultTimeoutUs(), List.of(),
        "local-first", "", 0.6);
  }

  /** Reads {@code file} over {@code defaults}; a missing file gives the defaults. */
  public static ModelConfig load(Path file, ModelConfig defaults) {
    if (!Files.isRegularFile(file)) {
      return defaults;
    }
    try {
      return parse(Files.readAllBytes(file), defaults);
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  /** Reads config.yaml text (YAML or JSON) over {@code defaults}; a bad key or value names itself. */
  public static ModelConfig parse(byte[] yaml, ModelConfig defaults) throws IOException {
    JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(yaml);
    if (root == null || root.isNull() || root.isMissingNode()) {
      return defaults;
    }
    if (!root.isObject()) {
      throw new IllegalArgumentException("must be a YAML mapping");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      String key = it.next().getKey();
      if (!KEYS.contains(key)) {
        throw new IllegalArgumentException("unknown key '" + key + "'; allowed: " + String.join(", ", KEYS));
      }
    }
    List<String> labels = new ArrayList<>();
    root.path("labels").forEach(n -> labels.add(n.asText()));
    return new ModelConfig(
        intOf(root, "max-batch-size", defaults.maxBatchSize()),
        longOf(root, "max-queue-delay-us", defaults.maxQueueDelayUs()),
        intOf(root, "max-queue", defaults.maxQueue()),
        longOf(root, "timeout-us", defaults.timeoutUs()),
        root.has("labels") ? labels : defaults.labels(),
        root.path("policy").asText(defaults.policy()),
        root.path("cascade-target").asText(defaults.cascadeTarget()),
        root.path("cascade-threshold").asDouble(defaults.cascadeThreshold()),
        root.has(SplitPoint.KEY) ? SplitPoint.parse(root.get(SplitPoint.KEY)) : defaults.splitPoints(),
        root.path("split-plan").asText(defaults.splitPlan()));
  }

  /** The config a split part (head or tail) serves under: the model's, kept on this node, never split again. */
  ModelConfig forSplitPart() {
    return new ModelConfig(maxBatchSize, maxQueueDelayUs, maxQueue, timeoutUs, List.of(), "edge-only", "",
        cascadeThreshold);
  }

  /** The split point named {@code name}, or null. */
  public SplitPoint splitPoint(String name) {
    return splitPoints.stream().filter(p -> p.name().equals(name)).findFirst().orElse(null);
  }

  private static int intOf(JsonNode root, String key, int dflt) {
    return (int) longOf(root, key, dflt);
  }

  private static long longOf(JsonNode root, String key, long dflt) {
    JsonNode n = root.get(key);
    if (n == null) {
      return dflt;
    }
    if (!n.canConvertToLong() || !n.isIntegralNumber()) {
      throw new IllegalArgumentException("key '" + key + "': value '" + n.asText() + "' is not an integer");
    }
    return n.asLong();
  }
}
