package io.coedge.routing;

/**
 * A call to a cloud node that did not give a usable answer: no answer at all ({@code status} 0: refused,
 * reset, timed out) or a non-200 status. Never shown to a client as such: the router retries elsewhere,
 * answers locally, or turns it into its own 503.
 */
public final class RemoteFailure extends RuntimeException {

  private final int status;

  public RemoteFailure(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  /** HTTP status of the peer's answer; 0 when there was none. */
  public int status() {
    return status;
  }

  /** No answer, 429, 503 or another 5xx: the node is slow or unwell, not merely unlucky. */
  public boolean penalise() {
    return status == 0 || status == 429 || status >= 500;
  }
}
