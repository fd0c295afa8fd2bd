package io.coedge.security;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Which scope each endpoint needs (DESIGN §3):
 * <ul>
 *   <li>{@code /v2/health/*}, {@code /metrics}, {@code /dashboard/*}: open when configured so (the dashboard with
 *       {@code /metrics}), else any scope;</li>
 *   <li>{@code /v2}, {@code /v2/models/{m}/...}: {@code infer}, and {@code m} on the caller's allow-list;
 *       an offloaded request (header {@code coedge-hop}) needs {@code cluster} instead;</li>
 *   <li>{@code /v2/models/stats} (the statistics of every model) and {@code /v2/models/{m}/trace/setting}:
 *       {@code admin};</li>
 *   <li>{@code /v2/trace/setting}, {@code /v2/logging}: {@code admin} (the closed default below);</li>
 *   <li>{@code /v2/repository/...}: {@code admin} (and the model on the allow-list where the path names one);</li>
 *   <li>{@code /v2/cluster/*}: {@code admin} or {@code cluster};</li>
 *   <li>anything else, including endpoints added later: {@code admin} — closed until someone decides otherwise.</li>
 * </ul>
 */
public final class AccessRules {

  private static final Requirement ANY = Requirement.anyOf(Scope.INFER, Scope.ADMIN, Scope.CLUSTER);

  private final boolean openHealth;
  private final boolean openMetrics;

  public AccessRules(boolean openHealth, boolean openMetrics) {
    this.openHealth = openHealth;
    this.openMetrics = openMetrics;
  }

  /**
   * The requirement of a request for {@code path} (already normalised: no dot segments).
   *
   * @param hop true when the request carries the node-to-node hop header
   * @throws IllegalArgumentException when a path segment is not valid percent-encoding
   */
  public Requirement of(String path, boolean hop) {
    String[] s = segments(path);
    if ((s.length == 1 && s[0].equals("metrics")) || (s.length > 0 && s[0].equals("dashboard"))) {
      return openMetrics ? Requirement.OPEN : ANY;
    }
    if (s.length == 0 || !s[0].equals("v2")) {
      return Requirement.anyOf(Scope.ADMIN);
    }
    if (s.length == 1) {
      return Requirement.anyOf(Scope.INFER);
    }
    switch (s[1]) {
      case "health":
        return openHealth ? Requirement.OPEN : ANY;
      case "models": {
        if (s.length == 3 && s[2].equals("stats")) {
          return Requirement.anyOf(Scope.ADMIN);
        }
        if (s.length == 5 && s[3].equals("trace")) { // a model's trace settings
          return Requirement.anyOf(Scope.ADMIN).onModel(decode(s[2]));
        }
        Requirement r = hop ? Requirement.anyOf(Scope.CLUSTER) : Requirement.anyOf(Scope.INFER);
        return s.length > 2 ? r.onModel(decode(s[2])) : r;
      }
      case "repository": {
        Requirement r = Requirement.anyOf(Scope.ADMIN);
        return s.length > 3 && s[2].equals("models") ? r.onModel(decode(s[3])) : r;
      }
      case "cluster":
        return Requirement.anyOf(Scope.ADMIN, Scope.CLUSTER);
      default:
        return Requirement.anyOf(Scope.ADMIN);
    }
  }

  /**
   * The segments after the leading '/', as {@code split("/+")} gives them, without a regex per request: runs of '/'
   * separate, trailing ones vanish, and a path starting "//" keeps an empty first segment (so it matches no rule but
   * the closed default).
   */
  static String[] segments(String path) {
    String p = path.startsWith("/") ? path.substring(1) : path;
    java.util.List<String> out = new java.util.ArrayList<>(6);
    if (p.startsWith("/") && p.chars().anyMatch(c -> c != '/')) {
      out.add("");
    }
    for (int start = 0, end; start < p.length(); start = end + 1) {
      end = p.indexOf('/', start);
      if (end < 0) {
        end = p.length();
      }
      if (end > start) {
        out.add(p.substring(start, end));
      }
    }
    return out.toArray(new String[0]);
  }

  /** Percent-decodes one path segment the way the router decodes path parameters ('+' stays '+'). */
  static String decode(String segment) {
    if (segment.indexOf('%') < 0) {
      return segment;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(segment.length());
    for (int i = 0; i < segment.length(); i++) {
      char c = segment.charAt(i);
      if (c == '%') {
        if (i + 2 >= segment.length()) {
          throw new IllegalArgumentException("bad percent-encoding in path segment '" + segment + "'");
        }
        int hi = Character.digit(segment.charAt(i + 1), 16);
        int lo = Character.digit(segment.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          throw new IllegalArgumentException("bad percent-encoding in path segment '" + segment + "'");
        }
        out.write(hi * 16 + lo);
        i += 2;
      } else {
        out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
