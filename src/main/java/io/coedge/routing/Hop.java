package io.coedge.routing;

/** The headers that mark a request one node forwarded to another (hop limit 1, DESIGN §1). */
public final class Hop {

  /** Set on a request another node forwarded: it is served there and never forwarded again. */
  public static final String HEADER = "coedge-hop";
  /** The forwarding node's remaining deadline for the request, µs; tightens the request's own. */
  public static final String TIMEOUT_HEADER = "coedge-timeout-us";

  private Hop() {
  }
}
