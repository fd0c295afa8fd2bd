package io.coedge.security;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * What a caller may do. Scopes are independent: {@code admin} does not imply {@code infer}.
 * <ul>
 *   <li>{@code infer}: inference, server and model metadata, model readiness and statistics;</li>
 *   <li>{@code admin}: the model repository (load/unload), the cluster tables, any endpoint not listed here;</li>
 *   <li>{@code cluster}: node-to-node calls (an offloaded request) and the cluster tables.</li>
 * </ul>
 */
public enum Scope {
  INFER, ADMIN, CLUSTER;

  /** The scope's name as written in key files and token claims. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The scope named {@code label}, or null when there is none by that name. */
  public static Scope parse(String label) {
    for (Scope s : values()) {
      if (s.label().equals(label)) {
        return s;
      }
    }
    return null;
  }

  /** Every scope; what a caller gets when authentication is off. */
  public static Set<Scope> all() {
    return EnumSet.allOf(Scope.class);
  }
}
