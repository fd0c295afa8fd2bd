package io.coedge.api;

/** The build's version, from the jar manifest (or "dev" when run from classes). */
public final class Versions {

  public static final String BUILD = build();

  private Versions() {
  }

  private static String build() {
    String v = Versions.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}
