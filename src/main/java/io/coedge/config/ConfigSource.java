package io.coedge.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Flat string values by dotted key, layered: defaults, then the YAML file, then {@code COEDGE_*}
 * environment variables, then command-line flags. Typed getters check ranges and name the key.
 */
public final class ConfigSource {

  private final Map<String, String> values;

  private ConfigSource(Map<String, String> values) {
    this.values = values;
  }

  public static ConfigSource of(Map<String, String> values) {
    return new ConfigSource(new HashMap<>(values));
  }

  /** Layers a YAML file (may be null), the environment and explicit overrides (flags), then checks keys. */
  public static ConfigSource load(Path yaml, Map<String, String> env, Map<String, String> overrides) {
    Map<String, String> values = new HashMap<>();
    if (yaml != null) {
      values.putAll(readYaml(yaml));
    }
    List<ConfigKey> keys = ConfigKey.all();
    for (ConfigKey key : keys) {
      String v = env.get(key.envName());
      if (v != null) {
        values.put(key.name(), v);
      }
    }
    values.putAll(overrides);
    for (String name : values.keySet()) {
      if (keys.stream().noneMatch(k -> k.name().equals(name))) {
        throw new ConfigException("unknown config key '" + name + "'" + (yaml == null ? "" : " in " + yaml)
            + "; see the configuration table in README.md");
      }
    }
    return new ConfigSource(values);
  }

  static Map<String, String> readYaml(Path file) {
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
    }
    Map<String, String> out = new HashMap<>();
    if (root != null && !root.isMissingNode() && !root.isNull()) {
      if (!root.isObject()) {
        throw new ConfigException("config file " + file + " must be a YAML mapping of sections");
      }
      flatten("", root, out);
    }
    return out;
  }

  private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
    if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out);
      }
    } else if (node.isArray()) {
      List<String> items = new ArrayList<>();
      node.forEach(n -> items.add(n.asText()));
      out.put(prefix, String.join(",", items));
    } else {
      out.put(prefix, node.isNull() ? "" : node.asText());
    }
  }

  public String string(ConfigKey key) {
    return values.getOrDefault(key.name(), key.defaultValue()).trim();
  }

  public String oneOf(ConfigKey key, String... allowed) {
    String v = string(key);
    for (String a : allowed) {
      if (a.equals(v)) {
        return v;
      }
    }
    throw ConfigException.badValue(key, v, "allowed: " + String.join(", ", allowed));
  }

  public long longValue(ConfigKey key, long min, long max) {
    String v = string(key);
    long n;
    try {
      n = Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw ConfigException.badValue(key, v, "allowed: an integer from " + min + " to " + max);
    }
    if (n < min || n > max) {
      throw ConfigException.badValue(key, v, "allowed: an integer from " + min + " to " + max);
    }
    return n;
  }

  public int intValue(ConfigKey key, int min, int max) {
    return (int) longValue(key, min, max);
  }

  public double doubleValue(ConfigKey key, double min, double max) {
    String v = string(key);
    try {
      double d = Double.parseDouble(v);
      if (d >= min && d <= max) {
        return d;
      }
    } catch (NumberFormatException e) {
      // fall through to the error below
    }
    throw ConfigException.badValue(key, v, "allowed: a number from " + min + " to " + max);
  }

  public boolean bool(ConfigKey key) {
    return Boolean.parseBoolean(oneOf(key, "true", "false"));
  }

  /** A comma-separated list; empty entries dropped. */
  public List<String> list(ConfigKey key) {
    List<String> out = new ArrayList<>();
    for (String s : string(key).split(",")) {
      if (!s.isBlank()) {
        out.add(s.trim());
      }
    }
    return out;
  }
}
