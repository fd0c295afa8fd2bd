package io.coedge.rollout;

import io.coedge.cluster.HybridLogicalClock;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON form of {@link RolloutRecord}s, in the shared map and on the admin API. Decoding treats its input as
 * untrusted: size first, then types, then the record's own bounds; anything off is an
 * {@link IllegalArgumentException} naming the field, never a crash.
 */
public final class RolloutCodec {

  static final int FORMAT = 1;
  static final int MAX_CHARS = 4 * 1024;

  private RolloutCodec() {
  }

  public static JsonObject toJson(RolloutRecord r) {
    JsonArray stages = new JsonArray();
    r.stages().forEach(s -> stages.add(new JsonObject().put("nodes", s.nodes()).put("percent", s.percent())
        .put("soakMs", s.soakMs())));
    return new JsonObject().put("format", FORMAT).put("id", r.id()).put("model", r.model())
        .put("version", r.version()).put("manifestSha256", r.manifestSha256())
        .put("target", new JsonObject().put("role", r.target().role()).put("site", r.target().site())
            .put("percent", r.target().percent()))
        .put("stages", stages)
        .put("halt", new JsonObject().put("maxErrorRate", r.halt().maxErrorRate())
            .put("maxP99Ratio", r.halt().maxP99Ratio()))
        .put("supersedes", r.supersedes()).put("publisher", r.publisher())
        .put("hlcMs", r.published().ms()).put("hlcCounter", r.published().counter()).put("kind", r.kind()).put("reason", r.reason());
  }

  /** A record read from the map under {@code key}; the key must be the record's id. */
  public static RolloutRecord decode(String key, Object raw) {
    if (!(raw instanceof String s) || s.length() > MAX_CHARS) {
      throw new IllegalArgumentException("value is not a JSON string of at most " + MAX_CHARS + " characters");
    }
    JsonObject o = object(s);
    if (!(o.getValue("format") instanceof Integer f) || f != FORMAT) {
      throw new IllegalArgumentException("unknown format");
    }
    RolloutRecord r = new RolloutRecord(text(o, "id"), text(o, "model"), text(o, "version"),
        text(o, "manifestSha256"), target(o.getValue("target")), stages(o.getValue("stages")),
        halt(o.getValue("halt")), text(o, "supersedes"), text(o, "publisher"),
        new HybridLogicalClock.Timestamp(integer(o, "hlcMs", Long.MAX_VALUE),
            (int) integer(o, "hlcCounter", Integer.MAX_VALUE)), optText(o, "kind", RolloutRecord.MODEL),
        optText(o, "reason", ""));
    if (!r.id().equals(key)) {
      throw new IllegalArgumentException("key '" + RolloutRecord.clip(key) + "' is not the record's id");
    }
    return r;
  }

  /**
   * A rollout request as posted to the admin API: {@code model}, {@code version}, {@code manifestSha256}, and
   * optional {@code kind} ({@code model}, or {@code data} for a data artifact bound to the model), {@code target},
   * {@code stages}, {@code halt}, {@code supersedes} (absent: the current head of the model's chain of that kind).
   */
  public static RolloutStore.Draft draft(String body) {
    JsonObject o = object(body);
    RolloutStore.Draft d = new RolloutStore.Draft(text(o, "model"), text(o, "version"), text(o, "manifestSha256"),
        target(o.getValue("target")), stages(o.getValue("stages")), halt(o.getValue("halt")),
        o.getValue("supersedes") == null ? null : text(o, "supersedes"), optText(o, "kind", RolloutRecord.MODEL),
        optText(o, "reason", ""));
    // the record's own checks, with placeholders for what the store fills in
    new RolloutRecord("draft-placeholder", d.model(), d.version(), d.manifestSha256(), d.target(), d.stages(), d.halt(),
        d.supersedes() == null ? "" : d.supersedes(), "draft-placeholder", new HybridLogicalClock.Timestamp(0, 0),
        d.kind(), d.reason());
    return d;
  }

  public static String clip(String s) {
    return RolloutRecord.clip(s);
  }

  /** Parses JSON text, bounded, into an object. */
  static JsonObject object(String s) {
    if (s.length() > MAX_CHARS) {
      throw new IllegalArgumentException("more than " + MAX_CHARS + " characters");
    }
    try {
      return new JsonObject(s);
    } catch (DecodeException | ClassCastException e) {
      throw new IllegalArgumentException("not a JSON object");
    }
  }

  /** {@code target} as in the API: absent means every node. */
  static RolloutRecord.Target target(Object v) {
    if (v == null) {
      return RolloutRecord.Target.ALL;
    }
    JsonObject t = object(v, "target");
    return new RolloutRecord.Target(optText(t, "role", ""), optText(t, "site", ""),
        (int) optInteger(t, "percent", 100, 100));
  }

  /** {@code stages} as in the API: absent means one stage, all at once. */
  static List<RolloutRecord.Stage> stages(Object v) {
    if (v == null) {
      return List.of(RolloutRecord.Stage.all());
    }
    if (!(v instanceof JsonArray a) || a.isEmpty() || a.size() > RolloutRecord.MAX_STAGES) {
      throw new IllegalArgumentException("'stages' must be an array of 1 to " + RolloutRecord.MAX_STAGES
          + " objects");
    }
    List<RolloutRecord.Stage> out = new ArrayList<>();
    for (Object item : a) {
      JsonObject s = object(item, "stages[]");
      out.add(new RolloutRecord.Stage((int) optInteger(s, "nodes", 0, 10_000), (int) optInteger(s, "percent", 0, 100),
          optInteger(s, "soakMs", 0, Long.MAX_VALUE)));
    }
    return out;
  }

  static RolloutRecord.Halt halt(Object v) {
    if (v == null) {
      return RolloutRecord.Halt.DEFAULT;
    }
    JsonObject h = object(v, "halt");
    return new RolloutRecord.Halt(optNumber(h, "maxErrorRate", RolloutRecord.Halt.DEFAULT.maxErrorRate()),
        optNumber(h, "maxP99Ratio", RolloutRecord.Halt.DEFAULT.maxP99Ratio()));
  }

  private static JsonObject object(Object v, String name) {
    if (!(v instanceof JsonObject o)) {
      throw new IllegalArgumentException("'" + name + "' must be an object");
    }
    return o;
  }

  static String text(JsonObject o, String name) {
    if (!(o.getValue(name) instanceof String s)) {
      throw new IllegalArgumentException("'" + name + "' must be a string");
    }
    return s;
  }

  static String optText(JsonObject o, String name, String dflt) {
    return o.getValue(name) == null ? dflt : text(o, name);
  }

  static long integer(JsonObject o, String name, long max) {
    Object v = o.getValue(name);
    if ((v instanceof Integer || v instanceof Long) && ((Number) v).longValue() >= 0
        && ((Number) v).longValue() <= max) {
      return ((Number) v).longValue();
    }
    throw new IllegalArgumentException("'" + name + "' must be an integer from 0 to " + max);
  }

  static long optInteger(JsonObject o, String name, long dflt, long max) {
    return o.getValue(name) == null ? dflt : integer(o, name, max);
  }

  private static double optNumber(JsonObject o, String name, double dflt) {
    Object v = o.getValue(name);
    if (v == null) {
      return dflt;
    }
    if (v instanceof Integer || v instanceof Long || v instanceof Double || v instanceof BigDecimal) {
      return ((Number) v).doubleValue();
    }
    throw new IllegalArgumentException("'" + name + "' must be a number");
  }
}
