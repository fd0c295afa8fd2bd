package io.coedge.routing;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

/** Calls to cloud nodes, as the router needs them; {@link RemoteClient} over HTTP, fakes in unit tests. */
public interface Remote {

  /**
   * Forwards an infer request body unchanged to {@code baseUrl}'s {@code model/version}, marked as one hop.
   *
   * @param jsonLength the client's {@code Inference-Header-Content-Length}, or null
   * @param timeoutUs  what is left of the request's deadline
   * @return the peer's 200 answer, or a failed future holding a {@link RemoteFailure}
   */
  Future<RemoteAnswer> infer(String baseUrl, String model, String version, Buffer body, String contentType,
      String jsonLength, long timeoutUs);

  /**
   * As above, but waits at most {@code attemptUs} for this node's answer while telling it the whole deadline
   * {@code deadlineUs} (a node that does not answer within what its prediction allows is given up for another),
   * naming the caller's span in a W3C {@code traceparent} header when {@code traceparent} is not null (the peer's
   * spans then join the trace).
   */
  default Future<RemoteAnswer> infer(String baseUrl, String model, String version, Buffer body, String contentType,
      String jsonLength, long deadlineUs, long attemptUs, String traceparent) {
    return infer(baseUrl, model, version, body, contentType, jsonLength, Math.min(deadlineUs, attemptUs));
  }

  /**
   * As above, the request marked as having made {@code hops} hops once it arrives there ({@link Hop#HEADER}; 1
   * from the node a client called), and the node told the deadline {@code toldUs} ({@link Hop#TIMEOUT_HEADER}; 0 =
   * the request has none): the caller passes what is left once the request's predicted transfer there is spent, so
   * that node decides (serve or forward) with what it really has left. Fakes that do not care keep the method
   * above.
   */
  default Future<RemoteAnswer> infer(String baseUrl, String model, String version, Buffer body, String contentType,
      String jsonLength, long deadlineUs, long attemptUs, String traceparent, int hops, long toldUs) {
    return infer(baseUrl, model, version, body, contentType, jsonLength, deadlineUs, attemptUs, traceparent);
  }

  /** The round trip of a near-empty request to {@code baseUrl}, µs. */
  Future<Long> probe(String baseUrl, long timeoutMs);

  /** The round trip of a request carrying {@code bytes} bytes to {@code baseUrl} (its link's bandwidth), µs. */
  Future<Long> probeTransfer(String baseUrl, int bytes, long timeoutMs);
}
