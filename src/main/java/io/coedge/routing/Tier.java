package io.coedge.routing;

import java.util.List;

/**
 * The order of node roles: {@code edge < regional < cloud}. A node forwards a request only to a node of a strictly
 * higher tier, so a route climbs at most two steps and can never come back to a node it passed: no loop is
 * possible, whatever the shared table says. Unknown roles rank below every tier (never a forwarding target).
 */
public final class Tier {

  /** The roles from lowest to highest. */
  public static final List<String> ORDER = List.of("edge", "regional", "cloud");

  private Tier() {
  }

  /** 0 for edge, 1 for regional, 2 for cloud, -1 for anything else. */
  public static int rank(String role) {
    return ORDER.indexOf(role);
  }

  /** True when a node of role {@code self} may forward to a node of role {@code peer}: strictly higher tier. */
  public static boolean above(String self, String peer) {
    int me = rank(self);
    return me >= 0 && rank(peer) > me;
  }

  /** True when some tier lies above {@code role} (a cloud node, the top, never forwards). */
  public static boolean forwards(String role) {
    int me = rank(role);
    return me >= 0 && me < ORDER.size() - 1;
  }
}
