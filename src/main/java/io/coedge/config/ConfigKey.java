package io.coedge.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * One configuration key: its dotted name, its default and what it means. Every key is declared once,
 * next to the record that uses it; README's config table is checked against {@link #all()}.
 */
public record ConfigKey(String name, String defaultValue, String meaning) {

  private static final List<ConfigKey> ALL = Collections.synchronizedList(new ArrayList<>());

  public static ConfigKey of(String name, String defaultValue, String meaning) {
    ConfigKey key = new ConfigKey(name, defaultValue, meaning);
    ALL.add(key);
    return key;
  }

  /** The environment variable that overrides this key: {@code http.port} → {@code COEDGE_HTTP_PORT}. */
  public String envName() {
    return "COEDGE_" + name.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  /** Every declared key; loads the config records first so that all of them have registered. */
  public static List<ConfigKey> all() {
    CoedgeConfig.declareKeys();
    synchronized (ALL) {
      return List.copyOf(ALL);
    }
  }
}
