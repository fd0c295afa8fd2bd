package io.coedge.cluster;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON form of node and version records in the shared maps (encoding is public, for the endpoints). Decoding treats the map as untrusted
 * input (DESIGN §7.3): size first, then types, then the records' own bounds; anything off is a
 * {@link BadRecordException}, never a crash.
 */
public final class RecordCodec {

  static final int MAX_NODE_CHARS = 64 * 1024;
  static final int MAX_VERSION_CHARS = 2 * 1024;
  static final int FORMAT = 1;

  private RecordCodec() {
  }

  public static JsonObject toJson(NodeRecord r) {
    JsonArray models = new JsonArray();
    for (NodeRecord.Model m : r.models()) {
      models.add(new JsonObject().put("name", m.name()).put("version", m.version()).put("sha256", m.sha256())
          .put("ready", m.ready()).put("workers", m.workers()).put("queued", m.queued())
          .put("inflight", m.inflight()).put("serviceUs", m.serviceUs()).put("batchRows", m.batchRows())
          .put("estimateUs", m.estimateUs()).put("succeeded", m.succeeded()).put("failed", m.failed())
          .put("p99Us", m.p99Us()).put("arrivalsPerS", m.arrivalsPerS()).put("shedPerS", m.shedPerS()));
      if (!m.data().isEmpty()) {
        models.getJsonObject(models.size() - 1).put("data", m.data());
      }
      if (m.viaUs() > 0) {
        models.getJsonObject(models.size() - 1).put("viaUs", m.viaUs());
      }
    }
    return new JsonObject().put("format", FORMAT).put("id", r.id()).put("member", r.member()).put("role", r.role())
        .put("site", r.site()).put("url", r.url()).put("build", r.build()).put("draining", r.draining())
        .put("seq", r.seq()).put("writtenAt", r.writtenAt()).put("models", models);
  }

  static String encode(NodeRecord r) {
    return toJson(r).encode();
  }

  static NodeRecord decodeNode(String key, Object raw) throws BadRecordException {
    JsonObject o = parse(raw, MAX_NODE_CHARS);
    JsonArray arr = field(o, "models", JsonArray.class);
    if (arr.size() > NodeRecord.MAX_MODELS) {
      throw new BadRecordException("more than " + NodeRecord.MAX_MODELS + " models");
    }
    List<NodeRecord.Model> models = new ArrayList<>(arr.size());
    for (Object item : arr) {
      if (!(item instanceof JsonObject m)) {
        throw new BadRecordException("models[] entries must be objects");
      }
      models.add(build(() -> new NodeRecord.Model(text(m, "name"), text(m, "version"), text(m, "sha256"),
          field(m, "ready", Boolean.class), (int) integer(m, "workers", Integer.MAX_VALUE),
          (int) integer(m, "queued", Integer.MAX_VALUE), (int) integer(m, "inflight", Integer.MAX_VALUE),
          number(m, "serviceUs"), number(m, "batchRows"), number(m, "estimateUs"),
          m.getValue("succeeded") == null ? 0 : integer(m, "succeeded", Long.MAX_VALUE),
          m.getValue("failed") == null ? 0 : integer(m, "failed", Long.MAX_VALUE),
          m.getValue("p99Us") == null ? 0 : number(m, "p99Us"),
          m.getValue("data") == null ? "" : text(m, "data"), // these four and the next two: absent from older nodes
          optionalNumber(m, "arrivalsPerS"), optionalNumber(m, "shedPerS"), optionalNumber(m, "viaUs"))));
    }
    NodeRecord r = build(() -> new NodeRecord(text(o, "id"), text(o, "member"), text(o, "role"), text(o, "site"),
        text(o, "url"), text(o, "build"), field(o, "draining", Boolean.class), integer(o, "seq", Long.MAX_VALUE),
        integer(o, "writtenAt", Long.MAX_VALUE), models));
    if (!r.id().equals(key)) {
      throw new BadRecordException("key '" + clip(key) + "' does not match the record's id");
    }
    return r;
  }

  public static JsonObject toJson(VersionRecord r) {
    JsonObject o = new JsonObject().put("format", FORMAT).put("publisher", r.publisher())
        .put("hlcMs", r.published().ms()).put("hlcCounter", r.published().counter()).put("size", r.artifact().size());
    if (r.artifact().signature() != null) {
      o.put("signature", r.artifact().signature());
    }
    if (r.artifact().manifest() != null) {
      o.put("manifest", r.artifact().manifest());
    }
    if (r.artifact().signer() != null) {
      o.put("signer", r.artifact().signer());
    }
    return o;
  }

  static String encode(VersionRecord r) {
    return toJson(r).encode();
  }

  static VersionRecord decodeVersion(String key, Object raw) throws BadRecordException {
    String[] parts = key == null || key.length() > 300 ? new String[0] : key.split("/", -1);
    if (parts.length != 4) {
      throw new BadRecordException("key '" + clip(key) + "' is not kind/name/version/sha256");
    }
    JsonObject o = parse(raw, MAX_VERSION_CHARS);
    String sig = optionalText(o, "signature");
    String manifest = optionalText(o, "manifest"); // absent from records of older nodes
    String signer = optionalText(o, "signer");
    long size = integer(o, "size", Long.MAX_VALUE);
    return build(() -> new VersionRecord(new Artifact(parts[0], parts[1], parts[2], parts[3], size, sig, manifest,
        signer),
        text(o, "publisher"), new HybridLogicalClock.Timestamp(integer(o, "hlcMs", Long.MAX_VALUE),
        (int) integer(o, "hlcCounter", Integer.MAX_VALUE))));
  }

  private interface Builder<T> {
    T get() throws BadRecordException;
  }

  /** Runs a record constructor and turns its bound checks into {@link BadRecordException}. */
  private static <T> T build(Builder<T> b) throws BadRecordException {
    try {
      return b.get();
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new BadRecordException(e.getMessage() == null ? "missing field" : e.getMessage());
    }
  }

  private static JsonObject parse(Object raw, int maxChars) throws BadRecordException {
    if (!(raw instanceof String s)) {
      throw new BadRecordException("value is " + (raw == null ? "null" : "a " + raw.getClass().getSimpleName())
          + ", not a JSON string");
    }
    if (s.length() > maxChars) {
      throw new BadRecordException("value has " + s.length() + " characters, more than " + maxChars);
    }
    JsonObject o;
    try {
      o = new JsonObject(s);
    } catch (DecodeException | ClassCastException e) {
      throw new BadRecordException("value is not a JSON object");
    }
    if (!(o.getValue("format") instanceof Integer f) || f != FORMAT) {
      throw new BadRecordException("unknown format " + clip(String.valueOf(o.getValue("format"))));
    }
    return o;
  }

  private static <T> T field(JsonObject o, String name, Class<T> type) throws BadRecordException {
    Object v = o.getValue(name);
    if (!type.isInstance(v)) {
      throw new BadRecordException("field '" + name + "' must be a " + type.getSimpleName());
    }
    return type.cast(v);
  }

  private static String text(JsonObject o, String name) throws BadRecordException {
    return field(o, name, String.class);
  }

  private static String optionalText(JsonObject o, String name) throws BadRecordException {
    return o.getValue(name) == null ? null : text(o, name);
  }

  private static long integer(JsonObject o, String name, long max) throws BadRecordException {
    Object v = o.getValue(name);
    if (v instanceof Integer || v instanceof Long) {
      long n = ((Number) v).longValue();
      if (n >= 0 && n <= max) {
        return n;
      }
    }
    throw new BadRecordException("field '" + name + "' must be an integer from 0 to " + max);
  }

  private static double number(JsonObject o, String name) throws BadRecordException {
    Object v = o.getValue(name);
    if (v instanceof Integer || v instanceof Long || v instanceof Double || v instanceof BigDecimal) {
      return ((Number) v).doubleValue();
    }
    throw new BadRecordException("field '" + name + "' must be a number");
  }

  /** A field added to format 1 later: absent in records of older nodes, which read as 0. */
  private static double optionalNumber(JsonObject o, String name) throws BadRecordException {
    return o.getValue(name) == null ? 0 : number(o, name);
  }

  static String clip(String s) {
    return s == null ? "null" : s.length() <= 80 ? s : s.substring(0, 80) + "…";
  }
}
