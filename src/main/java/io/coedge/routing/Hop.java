package io.coedge.routing;

import io.coedge.inference.InferenceException;

/**
 * What nodes send each other: the headers of a forwarded request, the link probe. A forwarded request carries how
 * many times it was forwarded ({@value #HEADER}: 1 from the first node, 2 from the second); a node forwards only to
 * a higher tier ({@link Tier}) and only while the count is below {@value #LIMIT}, so a request at the limit is
 * served where it is or refused with 503.
 */
public final class Hop {

  /** Set on a request another node forwarded: how many hops it has made (1..{@value #LIMIT}). */
  public static final String HEADER = "coedge-hop";
  /** The forwarding node's remaining deadline for the request, µs; tightens the request's own. */
  public static final String TIMEOUT_HEADER = "coedge-timeout-us";
  /** On an answer: the nodes the request passed, first to last, {@value #PATH_SEPARATOR}-separated. */
  public static final String PATH_HEADER = "coedge-path";
  public static final String PATH_SEPARATOR = ">";
  /** The most hops a request makes: edge → regional → cloud. */
  public static final int LIMIT = 2;

  /** Where a node's idle links are probed for bandwidth: the peer reads the body and answers its size. */
  public static final String PROBE_PATH = "/v2/cluster/probe";
  /** The largest probe body a node accepts. */
  public static final int PROBE_MAX_BYTES = 256 * 1024;

  private Hop() {
  }

  /**
   * The hop count of a request from its {@value #HEADER} header: 0 when absent, else an integer 1..{@value #LIMIT};
   * anything else is a 400 (a request claiming more hops than any route has was not sent by a node).
   */
  public static int count(String header) {
    if (header == null) {
      return 0;
    }
    String h = header.trim();
    if (h.length() == 1 && h.charAt(0) >= '1' && h.charAt(0) <= '0' + LIMIT) {
      return h.charAt(0) - '0';
    }
    throw InferenceException.invalid("header " + HEADER + " must be a hop count from 1 to " + LIMIT + ", got '"
        + (h.length() > 16 ? h.substring(0, 16) + "..." : h) + "'");
  }

  /** {@code self} followed by the path a peer reported (or just its id when it reported none or a malformed one). */
  static String path(String self, String peerPath, String peerId) {
    boolean ok = peerPath != null && peerPath.length() <= LIMIT * 130
        && peerPath.matches("[A-Za-z0-9._:-]{1,128}(>[A-Za-z0-9._:-]{1,128}){0," + (LIMIT - 1) + "}");
    return self + PATH_SEPARATOR + (ok ? peerPath : peerId);
  }

  /** Hops in a path: one less than its nodes. */
  static int hops(String path) {
    return path == null || path.isEmpty() ? 0 : path.split(PATH_SEPARATOR, -1).length - 1;
  }
}
