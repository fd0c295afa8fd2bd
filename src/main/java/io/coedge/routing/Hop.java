package io.coedge.routing;

/** What nodes send each other: the headers of a forwarded request (hop limit 1, DESIGN §1), the link probe. */
public final class Hop {

  /** Set on a request another node forwarded: it is served there and never forwarded again. */
  public static final String HEADER = "coedge-hop";
  /** The forwarding node's remaining deadline for the request, µs; tightens the request's own. */
  public static final String TIMEOUT_HEADER = "coedge-timeout-us";

  /** Where a node's idle links are probed for bandwidth: the peer reads the body and answers its size. */
  public static final String PROBE_PATH = "/v2/cluster/probe";
  /** The largest probe body a node accepts. */
  public static final int PROBE_MAX_BYTES = 256 * 1024;

  private Hop() {
  }
}
