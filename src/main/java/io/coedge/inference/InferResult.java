package io.coedge.inference;

import java.util.List;

/** The outputs of one request, with where its time went (µs). */
public record InferResult(String model, String version, List<Tensor> outputs, long queueUs, long computeUs) {
}
