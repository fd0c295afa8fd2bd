package io.coedge.routing;

import io.coedge.inference.InferRequest;
import io.coedge.observability.RequestTrace;
import io.vertx.core.buffer.Buffer;

/**
 * One infer call as a codec decoded it: the request, and what forwarding it unchanged to a cloud node takes.
 *
 * @param jsonLength the client's {@code Inference-Header-Content-Length} header, or null
 * @param hops       how many times another node forwarded it before it came here ({@link Hop#HEADER}), 0 from a
 *                   client
 * @param trace      the request's trace, {@link RequestTrace#NONE} when it is not traced
 */
public record Call(InferRequest request, Buffer body, String contentType, String jsonLength, int hops,
    RequestTrace trace) {

  /** A call that came from a client ({@code hop} false) or was forwarded once. */
  public Call(InferRequest request, Buffer body, String contentType, String jsonLength, boolean hop,
      RequestTrace trace) {
    this(request, body, contentType, jsonLength, hop ? 1 : 0, trace);
  }

  /** An untraced call. */
  public Call(InferRequest request, Buffer body, String contentType, String jsonLength, boolean hop) {
    this(request, body, contentType, jsonLength, hop, RequestTrace.NONE);
  }

  /** True when another node forwarded it here. */
  public boolean hop() {
    return hops > 0;
  }
}
