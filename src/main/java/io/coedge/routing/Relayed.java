package io.coedge.routing;

import io.vertx.core.buffer.Buffer;

/**
 * A cloud node's answer relayed as it came.
 *
 * @param headerLength its {@code Inference-Header-Content-Length}, or null
 */
public record Relayed(String version, Buffer body, String contentType, String headerLength, long queueUs,
    long computeUs) {
}
