package io.coedge.inference;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which versions of a model serve (TF-Serving's and Triton's version policy), from {@code version-policy} in the
 * model's config.yaml: {@code {latest: N}} (default N = 1), {@code {specific: [1, 3]}} or {@code all}.
 *
 * @param latest   how many of the highest versions serve; 0 when {@code specific} or {@code all} decide
 * @param specific the versions that serve, or empty
 */
public record VersionPolicy(int latest, Set<Long> specific) {

  public static final VersionPolicy DEFAULT = new VersionPolicy(1, Set.of());
  public static final VersionPolicy ALL = new VersionPolicy(Integer.MAX_VALUE, Set.of());
  static final String KEY = "version-policy";

  public VersionPolicy {
    specific = Set.copyOf(specific);
    if (latest < 0 || (latest == 0) == specific.isEmpty()) {
      throw new IllegalArgumentException("key '" + KEY + "': give one of latest: N (N ≥ 1), specific: [versions], "
          + "all");
    }
  }

  /** The versions among {@code available} (numeric folder names) that should serve, highest first. */
  public List<Long> select(Iterable<Long> available) {
    TreeSet<Long> sorted = new TreeSet<>(Comparator.reverseOrder());
    available.forEach(sorted::add);
    List<Long> out = new ArrayList<>();
    for (long v : sorted) {
      if (specific.isEmpty() ? out.size() < latest : specific.contains(v)) {
        out.add(v);
      }
    }
    return out;
  }

  /** Reads the policy from a config.yaml node (null or missing = the default). */
  static VersionPolicy parse(JsonNode n) {
    if (n == null || n.isNull() || n.isMissingNode()) {
      return DEFAULT;
    }
    if (n.isTextual() && n.asText().equals("all")) {
      return ALL;
    }
    if (n.isObject() && n.size() == 1 && n.has("latest") && n.get("latest").canConvertToInt()
        && n.get("latest").isIntegralNumber()) {
      return new VersionPolicy(n.get("latest").asInt(), Set.of());
    }
    if (n.isObject() && n.size() == 1 && n.has("specific") && n.get("specific").isArray()) {
      Set<Long> vs = new TreeSet<>();
      for (JsonNode v : n.get("specific")) {
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0) {
          throw new IllegalArgumentException("key '" + KEY + "': specific versions must be numbers ≥ 0");
        }
        vs.add(v.asLong());
      }
      return new VersionPolicy(0, vs);
    }
    throw new IllegalArgumentException("key '" + KEY + "': value '" + n + "' is not allowed; allowed: "
        + "{latest: N}, {specific: [..]}, all");
  }

  /** The policy in config form, for the config endpoint. */
  public String describe() {
    return specific.isEmpty() ? latest == Integer.MAX_VALUE ? "all" : "latest: " + latest
        : "specific: " + new TreeSet<>(specific);
  }
}
