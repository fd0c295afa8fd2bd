package io.coedge.rollout;

import io.coedge.cluster.HybridLogicalClock;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One entry of {@code coedge.rollouts}: "nodes matching {@code target} should serve {@code model/version} with
 * this manifest, reached through {@code stages}". Written once by its publisher, never overwritten. A record
 * that names the rollout it {@code supersedes} replaces it (a rollback is such a record naming the old
 * version); two records superseding the same one (or none) are a conflict: the older wins until an operator
 * publishes a record superseding the winner. The constructor bounds every field: a parsed record is sane or
 * rejected.
 *
 * @param supersedes id of the rollout this one replaces, or "" for the first rollout of the model
 */
public record RolloutRecord(String id, String model, String version, String manifestSha256, Target target,
    List<Stage> stages, Halt halt, String supersedes, String publisher, HybridLogicalClock.Timestamp published,
    String kind, String reason) {

  static final Pattern REASON = Pattern.compile("[\\x20-\\x7e]{0,300}");

  /** A version of the model itself: the repository's {@code <model>/<version>}. */
  public static final String MODEL = "model";
  /**
   * A data artifact bound to the model (label map, cascade threshold, calibration table):
   * {@code <models>/.data/<model>/<version>}, fetched and verified like a model version, never loaded.
   */
  public static final String DATA = "data";

  /** A model rollout (records written before data rollouts read as this). */
  public RolloutRecord(String id, String model, String version, String manifestSha256, Target target,
      List<Stage> stages, Halt halt, String supersedes, String publisher, HybridLogicalClock.Timestamp published) {
    this(id, model, version, manifestSha256, target, stages, halt, supersedes, publisher, published, MODEL);
  }

  /** A record without a reason. */
  public RolloutRecord(String id, String model, String version, String manifestSha256, Target target,
      List<Stage> stages, Halt halt, String supersedes, String publisher, HybridLogicalClock.Timestamp published,
      String kind) {
    this(id, model, version, manifestSha256, target, stages, halt, supersedes, publisher, published, kind, "");
  }

  static final int MAX_STAGES = 8;
  static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");
  static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
  static final Pattern SITE = Pattern.compile("[\\x20-\\x7e]{0,64}");

  /**
   * Which nodes the rollout is for: {@code role} edge, regional, cloud or "" (any), {@code site} or "" (any), and
   * {@code percent} of the matching nodes (chosen by a stable hash of rollout and node id).
   */
  public record Target(String role, String site, int percent) {
    public Target {
      if (!role.isEmpty() && !role.equals("edge") && !role.equals("regional") && !role.equals("cloud")) {
        throw new IllegalArgumentException("target.role must be edge, regional, cloud or empty, not '" + clip(role)
            + "'");
      }
      check(SITE, site, "target.site");
      if (percent < 1 || percent > 100) {
        throw new IllegalArgumentException("target.percent must be 1-100, not " + percent);
      }
    }

    public static final Target ALL = new Target("", "", 100);
  }

  /**
   * One stage: the first {@code nodes} targeted nodes when {@code nodes > 0} (a canary), else {@code percent} of
   * them; the next stage starts {@code soakMs} after this one did.
   */
  public record Stage(int nodes, int percent, long soakMs) {
    public Stage {
      if (nodes < 0 || nodes > 10_000 || percent < 0 || percent > 100 || (nodes == 0) == (percent == 0)) {
        throw new IllegalArgumentException("a stage needs either nodes (1-10000) or percent (1-100)");
      }
      if (soakMs < 0 || soakMs > 7L * 24 * 3600 * 1000) {
        throw new IllegalArgumentException("stage soakMs must be 0 to 7 days, not " + soakMs);
      }
    }

    public static Stage all() {
      return new Stage(0, 100, 0);
    }
  }

  /** Halt thresholds for canary analysis: error rate (0-1) and p99 ratio new/old (at least 1). */
  public record Halt(double maxErrorRate, double maxP99Ratio) {
    public Halt {
      if (!(maxErrorRate >= 0 && maxErrorRate <= 1) || !(maxP99Ratio >= 1 && maxP99Ratio <= 1000)) {
        throw new IllegalArgumentException("halt needs maxErrorRate 0-1 and maxP99Ratio 1-1000");
      }
    }

    public static final Halt DEFAULT = new Halt(0.01, 2.0);
  }

  public RolloutRecord {
    check(ID, id, "id");
    check(NAME, model, "model");
    check(VERSION, version, "version");
    check(SHA256, manifestSha256, "manifestSha256 (64 lowercase hex digits)");
    if (target == null || halt == null || published == null) {
      throw new IllegalArgumentException("rollout needs a target, halt thresholds and a timestamp");
    }
    if (stages == null || stages.isEmpty() || stages.size() > MAX_STAGES) {
      throw new IllegalArgumentException("rollout needs 1 to " + MAX_STAGES + " stages");
    }
    stages = List.copyOf(stages);
    if (!supersedes.isEmpty()) {
      check(ID, supersedes, "supersedes");
    }
    if (supersedes.equals(id)) {
      throw new IllegalArgumentException("a rollout cannot supersede itself");
    }
    check(ID, publisher, "publisher");
    if (!MODEL.equals(kind) && !DATA.equals(kind)) {
      throw new IllegalArgumentException("kind must be model or data, not '" + clip(kind) + "'");
    }
    check(REASON, reason, "reason (at most 300 printable ASCII characters)");
  }

  /** A reason as a record may carry it: printable ASCII, at most 300 characters. */
  public static String reason(String why) {
    String s = String.valueOf(why).replaceAll("[^\\x20-\\x7e]", "?");
    return s.length() > 300 ? s.substring(0, 300) : s;
  }

  /** True for a rollback its publisher made by itself (the reason says why the record it supersedes halted). */
  public boolean rollback() {
    return reason.startsWith(ROLLBACK);
  }

  /** How an automatic rollback's reason starts. */
  public static final String ROLLBACK = "rollback: ";

  public boolean data() {
    return DATA.equals(kind);
  }

  /**
   * The chain this record belongs to: the model's versions, or the data bound to it ({@code <model>:data}), each
   * with its own head, so a data rollout never supersedes a model rollout nor the reverse.
   */
  public String chain() {
    return data() ? model + ":data" : model;
  }

  /** The time the stage {@code i} starts, in ms after {@link #published}. */
  long stageStartMs(int i) {
    long t = 0;
    for (int s = 0; s < i; s++) {
      t += stages.get(s).soakMs();
    }
    return t;
  }

  private static void check(Pattern p, String value, String what) {
    if (value == null || !p.matcher(value).matches()) {
      throw new IllegalArgumentException("bad " + what + ": '" + clip(value) + "'");
    }
  }

  static String clip(String s) {
    return s == null ? "null" : s.length() <= 80 ? s : s.substring(0, 80) + "…";
  }
}
