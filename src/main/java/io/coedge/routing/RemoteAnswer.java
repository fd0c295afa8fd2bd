package io.coedge.routing;

import io.vertx.core.buffer.Buffer;

/**
 * A cloud node's 200 answer, relayed to the client as it came (same bytes, so the answer cannot depend on
 * where it ran).
 *
 * @param servedBy     the {@code coedge-served-by} of the peer (its node id)
 * @param headerLength its {@code Inference-Header-Content-Length}, or null for a pure JSON answer
 * @param queueUs      the peer's reported {@code coedge-queue-us}
 * @param computeUs    the peer's reported {@code coedge-compute-us}
 * @param path         the peer's reported {@link Hop#PATH_HEADER} (unchecked), or null
 */
public record RemoteAnswer(String servedBy, String model, String version, Buffer body, String contentType,
    String headerLength, long queueUs, long computeUs, String path) {

  /** An answer without a path (a peer that forwarded nothing, or an older one). */
  public RemoteAnswer(String servedBy, String model, String version, Buffer body, String contentType,
      String headerLength, long queueUs, long computeUs) {
    this(servedBy, model, version, body, contentType, headerLength, queueUs, computeUs, null);
  }
}
