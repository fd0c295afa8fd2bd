package io.coedge.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Flat string values by dotted key, layered: defaults, then the YAML file, then {@code COEDGE_*}
 * environment variables, then command-line flags. Remembers where each value came from, so that an error
 * names the flag, the variable or the file and key that set it. Typed getters check ranges and name the key.
 */
public final class ConfigSource {

  /** {@code COEDGE_*} variables that are not config keys: the benchmark scripts' build folder. */
  static final Set<String> OTHER_VARIABLES = Set.of("COEDGE_BUILD_DIR");

  private final Map<String, String> values;
  private final Map<String, String> origins;
  /** Keys whose YAML value was a list: refused by the scalar getters. */
  private final Set<String> lists;

  private ConfigSource(Map<String, String> values, Map<String, String> origins, Set<String> lists) {
    this.values = values;
    this.origins = origins;
    this.lists = lists;
  }

  public static ConfigSource of(Map<String, String> values) {
    return new ConfigSource(new HashMap<>(values), new HashMap<>(), Set.of());
  }

  /**
   * Layers a YAML file (may be null), the environment and explicit overrides (flags; {@code flags} names the flag
   * that set each key), then checks that every key, and every {@code COEDGE_*} variable, is known.
   */
  public static ConfigSource load(Path yaml, Map<String, String> env, Map<String, String> overrides,
      Map<String, String> flags) {
    Map<String, String> values = new HashMap<>();
    Map<String, String> origins = new HashMap<>();
    Set<String> lists = new HashSet<>();
    List<ConfigKey> keys = ConfigKey.all();
    Map<String, ConfigKey> byName = new TreeMap<>();
    Map<String, ConfigKey> byEnv = new TreeMap<>();
    keys.forEach(k -> {
      byName.put(k.name(), k);
      byEnv.put(k.envName(), k);
    });
    if (yaml != null) {
      YamlFile.read(yaml, lists).forEach((k, v) -> {
        if (!byName.containsKey(k)) {
          throw new ConfigException("unknown config key '" + k + "' in " + yaml
              + Suggestions.didYouMean(k, byName.keySet()) + " (see the configuration table in README.md)");
        }
        values.put(k, v);
        origins.put(k, yaml + ": " + k);
      });
    }
    for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
      ConfigKey key = byEnv.get(e.getKey());
      if (key != null) {
        values.put(key.name(), e.getValue());
        origins.put(key.name(), "env " + e.getKey());
        lists.remove(key.name());
      } else if (e.getKey().startsWith("COEDGE_") && !OTHER_VARIABLES.contains(e.getKey())) {
        throw new ConfigException("unknown environment variable " + e.getKey()
            + Suggestions.didYouMean(e.getKey(), byEnv.keySet()) + " (see the configuration table in README.md)");
      }
    }
    overrides.forEach((k, v) -> {
      values.put(k, v);
      origins.put(k, "flag " + flags.getOrDefault(k, k));
      lists.remove(k);
    });
    return new ConfigSource(values, origins, lists);
  }

  /** Where {@code key}'s value came from: {@code flag --port}, {@code env COEDGE_HTTP_PORT}, {@code FILE: key}. */
  public String origin(ConfigKey key) {
    return origins.getOrDefault(key.name(), "default");
  }

  private String raw(ConfigKey key) {
    return values.getOrDefault(key.name(), key.defaultValue()).trim();
  }

  public String string(ConfigKey key) {
    String v = raw(key);
    if (lists.contains(key.name())) {
      throw ConfigException.badValue(key, "[" + v + "]", "allowed: a single value, not a list");
    }
    return v;
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

  /** A comma-separated list (or a YAML list); empty entries dropped. */
  public List<String> list(ConfigKey key) {
    List<String> out = new ArrayList<>();
    for (String s : raw(key).split(",")) {
      if (!s.isBlank()) {
        out.add(s.trim());
      }
    }
    return out;
  }
}
