package io.coedge.rollout;

import io.vertx.core.json.JsonObject;
import java.util.regex.Pattern;

/**
 * One node's progress towards its target for one model (or, as {@code <model>:data}, the data bound to it), in
 * {@code coedge.rollout-nodes} under {@code node/model}, written only by that node. Bounded like every record read
 * from the map.
 *
 * @param rollout  the rollout id the node is following ("" when it has no target)
 * @param progress percent of the bytes fetched (fetching), else 0 or 100
 * @param reason   why it failed, "" otherwise
 * @param sinceMs  wall-clock ms when the node entered {@code state}
 */
public record NodeRollout(String node, String model, String rollout, String version, State state, int progress,
    String reason, long sinceMs) {

  /** What the node is doing about its target. */
  public enum State { WAITING, FETCHING, VERIFYING, LOADED, SERVING, FAILED }

  static final int MAX_REASON = 200;
  private static final Pattern REASON = Pattern.compile("[\\x20-\\x7e]{0," + MAX_REASON + "}");

  public NodeRollout {
    if (!RolloutRecord.ID.matcher(node).matches()
        || !RolloutRecord.NAME.matcher(model.endsWith(":data") ? model.substring(0, model.length() - 5) : model)
            .matches()
        || !rollout.isEmpty() && !RolloutRecord.ID.matcher(rollout).matches()
        || !version.isEmpty() && !RolloutRecord.VERSION.matcher(version).matches()) {
      throw new IllegalArgumentException("bad node, model, rollout or version in a rollout state");
    }
    if (state == null || progress < 0 || progress > 100 || sinceMs < 0) {
      throw new IllegalArgumentException("rollout state needs a state, progress 0-100 and a time");
    }
    if (!REASON.matcher(reason).matches()) {
      reason = reason.replaceAll("[^\\x20-\\x7e]", "?");
      reason = reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON) : reason;
    }
  }

  public String key() {
    return node + '/' + model;
  }

  /** The same progress in a new state, since {@code nowMs} (kept when the state does not change). */
  public NodeRollout to(State next, int percent, String why, long nowMs) {
    return new NodeRollout(node, model, rollout, version, next, percent, why, next == state ? sinceMs : nowMs);
  }

  public JsonObject toJson() {
    return new JsonObject().put("node", node).put("model", model).put("rollout", rollout).put("version", version)
        .put("state", state.name().toLowerCase()).put("progress", progress).put("reason", reason)
        .put("since", sinceMs);
  }

  /** Parses a map value (untrusted) written under {@code key}. */
  public static NodeRollout decode(String key, Object raw) {
    if (!(raw instanceof String s) || s.length() > 2048) {
      throw new IllegalArgumentException("value is not a JSON string of at most 2048 characters");
    }
    JsonObject o = RolloutCodec.object(s);
    State state;
    try {
      state = State.valueOf(RolloutCodec.text(o, "state").toUpperCase());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown state");
    }
    NodeRollout r = new NodeRollout(RolloutCodec.text(o, "node"), RolloutCodec.text(o, "model"),
        RolloutCodec.text(o, "rollout"), RolloutCodec.text(o, "version"), state,
        (int) RolloutCodec.integer(o, "progress", 100), RolloutCodec.text(o, "reason"),
        RolloutCodec.integer(o, "since", Long.MAX_VALUE));
    if (!r.key().equals(key)) {
      throw new IllegalArgumentException("key is not node/model of the record");
    }
    return r;
  }
}
