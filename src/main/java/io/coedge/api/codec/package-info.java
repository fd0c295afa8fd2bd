/**
 * The Open Inference Protocol v2 wire format: decoding infer request bodies (JSON and binary tensor data)
 * into {@code InferRequest}s within size limits, and encoding {@code InferResult}s into response bodies.
 */
package io.coedge.api.codec;
