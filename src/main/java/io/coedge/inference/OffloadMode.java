package io.coedge.inference;

import java.util.Locale;

/** The request parameter {@code offload}: narrows the model's policy, never widens it. */
public enum OffloadMode {
  AUTO, NEVER, PREFER;

  public static OffloadMode parse(String s) {
    if (s == null) {
      return null;
    }
    try {
      return valueOf(s.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
