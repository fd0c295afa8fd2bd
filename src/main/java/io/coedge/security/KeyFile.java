package io.coedge.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the API key file, YAML:
 * <pre>
 * keys:
 *   - id: sensor-hub              # letters, digits, . _ -
 *     hash: sha256:SALT:DIGEST    # from HashKey; never the key itself
 *     scopes: [infer]             # infer, admin, cluster
 *     models: [sensor-anomaly]    # optional; omitted = every model
 *     rate: 20                    # optional requests/s for this key; with burst
 *     burst: 40
 * </pre>
 * Anything else (unknown fields, duplicate ids, an unknown scope) is refused with a message naming the entry.
 */
public final class KeyFile {

  static final long MAX_BYTES = 1 << 20;
  private static final Set<String> FIELDS = Set.of("id", "hash", "scopes", "models", "rate", "burst");

  private KeyFile() {
  }

  /**
   * As {@link #parse} for a reload, which must not replace the keys in force with a file a writer left unfinished
   * (a full disk, a write still under way): refuses a file that does not end with a line break (cut in the middle
   * of a line; such a cut can still parse, e.g. {@code burst: 4} from {@code burst: 40}) and one that lists no keys
   * (every client would be refused). A cut exactly at a line break cannot be told from a shorter file: writers
   * replace the file by renaming a complete copy into place.
   */
  static ApiKeys parseComplete(byte[] yaml, String name) {
    if (yaml.length > 0 && yaml[yaml.length - 1] != '\n') {
      throw new IllegalArgumentException("key file " + name + " does not end with a line break: it looks cut short "
          + "(a full disk or a write under way); write a complete copy and rename it into place");
    }
    ApiKeys keys = parse(yaml, name);
    if (keys.size() == 0) {
      throw new IllegalArgumentException("key file " + name + " lists no keys (every client would be refused)");
    }
    return keys;
  }

  /** Parses and checks a key file's bytes; throws {@link IllegalArgumentException} saying what is wrong where. */
  static ApiKeys parse(byte[] yaml, String name) {
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(yaml);
    } catch (IOException e) {
      throw new IllegalArgumentException("key file " + name + " is not valid YAML: " + firstLine(e.getMessage()), e);
    }
    JsonNode list = root == null ? null : root.get("keys");
    if (list == null || !list.isArray() || root.size() != 1) {
      throw new IllegalArgumentException("key file " + name + " must be a mapping with one field, `keys`, a list");
    }
    List<ApiKey> keys = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < list.size(); i++) {
      String where = "key file " + name + ", entry " + (i + 1);
      ApiKey k = entry(list.get(i), where);
      if (!ids.add(k.id())) {
        throw new IllegalArgumentException(where + ": id '" + k.id() + "' appears twice");
      }
      keys.add(k);
    }
    return new ApiKeys(keys);
  }

  private static ApiKey entry(JsonNode e, String where) {
    if (!e.isObject()) {
      throw new IllegalArgumentException(where + ": must be a mapping with id, hash, scopes");
    }
    for (Iterator<String> it = e.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!FIELDS.contains(f)) {
        throw new IllegalArgumentException(where + ": unknown field '" + f + "'; allowed: " + FIELDS);
      }
    }
    String id = e.path("id").asText("");
    if (!id.matches("[A-Za-z0-9._-]{1,64}")) {
      throw new IllegalArgumentException(where + ": id must be 1-64 letters, digits, . _ -");
    }
    where = where + " (id '" + id + "')";
    KeyHash hash;
    try {
      hash = KeyHash.parse(e.path("hash").asText(""));
    } catch (IllegalArgumentException x) {
      throw new IllegalArgumentException(where + ": " + x.getMessage(), x);
    }
    Set<Scope> scopes = new HashSet<>();
    for (String s : strings(e.get("scopes"), where, "scopes")) {
      Scope scope = Scope.parse(s);
      if (scope == null) {
        throw new IllegalArgumentException(where + ": unknown scope '" + s + "'; allowed: infer, admin, cluster");
      }
      scopes.add(scope);
    }
    if (scopes.isEmpty()) {
      throw new IllegalArgumentException(where + ": scopes must name at least one of infer, admin, cluster");
    }
    Set<String> models = e.has("models") ? strings(e.get("models"), where, "models") : Set.of(Principal.ALL_MODELS);
    return new ApiKey(id, hash, scopes, models, limit(e, where));
  }

  private static Limit limit(JsonNode e, String where) {
    if (!e.has("rate") && !e.has("burst")) {
      return null;
    }
    JsonNode rate = e.get("rate");
    JsonNode burst = e.get("burst");
    if (rate == null || burst == null || !rate.isNumber() || !burst.canConvertToInt() || !burst.isIntegralNumber()
        || rate.asDouble() < 0 || rate.asDouble() > 1_000_000 || burst.asInt() < 1 || burst.asInt() > 1_000_000) {
      throw new IllegalArgumentException(where + ": rate (0 to 1000000 per second) and burst (1 to 1000000) go "
          + "together");
    }
    return new Limit(rate.asDouble(), burst.asInt());
  }

  private static Set<String> strings(JsonNode n, String where, String field) {
    if (n == null || !n.isArray()) {
      throw new IllegalArgumentException(where + ": " + field + " must be a list, e.g. [a, b]");
    }
    Set<String> out = new LinkedHashSet<>();
    n.forEach(v -> {
      if (!v.isTextual() || v.asText().isBlank()) {
        throw new IllegalArgumentException(where + ": " + field + " must hold non-empty names");
      }
      out.add(v.asText().trim());
    });
    return out;
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
