package io.coedge.rollout;

import io.coedge.cluster.NodeEntry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the rollout records mean, as pure functions of the set (not of arrival order), so every node holding the
 * same records and node table computes the same targets. Per model, the records form a chain from the first
 * rollout ({@code supersedes ""}) through each record superseding the previous head; where two records
 * supersede the same one, the older (HLC, then id) continues the chain and the pair is a {@link Conflict} until
 * a newer record supersedes the winner. A node's target is the newest record of the chain whose current stage
 * selects it; records whose predecessor is not known here yet are ignored.
 */
public final class RolloutPlan {

  /** Two or more records superseding the same one; {@code winner} is followed until one supersedes it. */
  public record Conflict(String model, String supersedes, String winner, List<String> losers) {
  }

  /** A node's desired version: from {@code rollout}, whose stage {@code stage} selects the node. */
  public record Target(RolloutRecord rollout, int stage) {
  }

  static final Comparator<RolloutRecord> AGE = Comparator.comparing(RolloutRecord::published)
      .thenComparing(RolloutRecord::id);

  private final List<RolloutRecord> records;
  private final Map<String, List<RolloutRecord>> chains = new TreeMap<>();
  private final List<Conflict> conflicts = new ArrayList<>();

  private RolloutPlan(List<RolloutRecord> sorted) {
    this.records = sorted;
    Map<String, List<RolloutRecord>> children = new HashMap<>();
    for (RolloutRecord r : sorted) {
      children.computeIfAbsent(r.chain() + '\0' + r.supersedes(), k -> new ArrayList<>()).add(r);
    }
    Set<String> models = new HashSet<>();
    sorted.forEach(r -> models.add(r.chain()));
    for (String model : models) {
      List<RolloutRecord> chain = new ArrayList<>();
      String parent = "";
      Set<String> seen = new HashSet<>();
      while (seen.add(parent)) {
        List<RolloutRecord> kids = children.getOrDefault(model + '\0' + parent, List.of());
        if (kids.isEmpty()) {
          break;
        }
        RolloutRecord winner = kids.get(0);
        if (kids.size() > 1 && !children.containsKey(model + '\0' + winner.id())) {
          conflicts.add(new Conflict(model, parent, winner.id(),
              kids.subList(1, kids.size()).stream().map(RolloutRecord::id).toList()));
        }
        chain.add(winner);
        parent = winner.id();
      }
      chains.put(model, List.copyOf(chain));
    }
    conflicts.sort(Comparator.comparing(Conflict::model));
  }

  public static RolloutPlan of(Collection<RolloutRecord> records) {
    List<RolloutRecord> sorted = new ArrayList<>(records);
    sorted.sort(AGE);
    return new RolloutPlan(List.copyOf(sorted));
  }

  /** Every record, oldest first. */
  public List<RolloutRecord> records() {
    return records;
  }

  public Optional<RolloutRecord> record(String id) {
    return records.stream().filter(r -> r.id().equals(id)).findFirst();
  }

  /**
   * The newest record of a chain ({@link RolloutRecord#chain}: a model's name, or {@code <model>:data}): the one
   * new rollouts of that kind supersede.
   */
  public Optional<RolloutRecord> head(String model) {
    List<RolloutRecord> c = chains.getOrDefault(model, List.of());
    return c.isEmpty() ? Optional.empty() : Optional.of(c.get(c.size() - 1));
  }

  /** True if the record is on its model's chain (false: a conflict's loser, or its predecessor is unknown). */
  public boolean effective(RolloutRecord r) {
    return chains.getOrDefault(r.chain(), List.of()).contains(r);
  }

  public List<Conflict> conflicts() {
    return List.copyOf(conflicts);
  }

  /**
   * The stage of {@code r} now: each starts when the previous one's soak ends, but a rollout halts at the first
   * stage that selects a node reporting it {@code FAILED} (a canary that could not load the version stops it there).
   */
  public static int stage(RolloutRecord r, long nowMs, List<NodeEntry> nodes, Collection<NodeRollout> states) {
    int byTime = stage(r, nowMs);
    int halted = haltedAt(r, nodes, states);
    return halted < 0 ? byTime : Math.min(byTime, halted);
  }

  /** The first stage of {@code r} selecting a node that reports {@code r} failed; -1 when there is none. */
  public static int haltedAt(RolloutRecord r, List<NodeEntry> nodes, Collection<NodeRollout> states) {
    Set<String> failed = new HashSet<>();
    states.stream().filter(s -> s.rollout().equals(r.id()) && s.state() == NodeRollout.State.FAILED)
        .forEach(s -> failed.add(s.node()));
    if (failed.isEmpty()) {
      return -1;
    }
    for (int i = 0; i < r.stages().size(); i++) {
      if (selected(r, i, nodes).stream().anyMatch(failed::contains)) {
        return i;
      }
    }
    return -1;
  }

  /** The stage of {@code r} at wall-clock {@code nowMs} by soak times alone. */
  public static int stage(RolloutRecord r, long nowMs) {
    long elapsed = nowMs - r.published().ms();
    int i = 0;
    while (i + 1 < r.stages().size() && r.stageStartMs(i + 1) <= elapsed) {
      i++;
    }
    return i;
  }

  /**
   * Ids of the nodes {@code r} selects at stage {@code stage}: fresh, not draining, matching role and site,
   * ranked by a stable hash of rollout and node id; the target's percent of them, then the stage's share.
   */
  public static List<String> selected(RolloutRecord r, int stage, List<NodeEntry> nodes) {
    RolloutRecord.Target t = r.target();
    List<String> eligible = nodes.stream().filter(NodeEntry::usable)
        .filter(n -> t.role().isEmpty() || t.role().equals(n.record().role()))
        .filter(n -> t.site().isEmpty() || t.site().equals(n.record().site()))
        .map(NodeEntry::id).sorted(Comparator.comparing((String id) -> rank(r.id(), id))).toList();
    List<String> targeted = eligible.subList(0, share(eligible.size(), t.percent()));
    RolloutRecord.Stage s = r.stages().get(stage);
    int n = s.nodes() > 0 ? Math.min(s.nodes(), targeted.size()) : share(targeted.size(), s.percent());
    return List.copyOf(targeted.subList(0, n));
  }

  /** {@code node}'s target for {@code model}: the newest chain record whose current stage selects it. */
  public Optional<Target> target(String model, String node, List<NodeEntry> nodes, Collection<NodeRollout> states,
      long nowMs) {
    List<RolloutRecord> chain = chains.getOrDefault(model, List.of());
    for (int i = chain.size() - 1; i >= 0; i--) {
      RolloutRecord r = chain.get(i);
      int stage = stage(r, nowMs, nodes, states);
      if (selected(r, stage, nodes).contains(node)) {
        return Optional.of(new Target(r, stage));
      }
    }
    return Optional.empty();
  }

  /** {@code node}'s target for every model that has one, by model name. */
  public Map<String, Target> targets(String node, List<NodeEntry> nodes, Collection<NodeRollout> states,
      long nowMs) {
    Map<String, Target> out = new TreeMap<>();
    for (String model : chains.keySet()) {
      target(model, node, nodes, states, nowMs).ifPresent(t -> out.put(model, t));
    }
    return out;
  }

  private static int share(int n, int percent) {
    return (int) Math.ceil(n * percent / 100.0);
  }

  private static String rank(String rollout, String node) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest((rollout + '/' + node).getBytes(StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(d, 0, 8) + node;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
