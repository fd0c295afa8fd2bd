package io.coedge.inference;

import java.util.List;

/**
 * A decoded inference request.
 *
 * @param id             client's request id, echoed back (may be null)
 * @param model          model name
 * @param version        pinned version, or null for the model's default (latest)
 * @param inputs         input tensors, validated for element count against their shapes
 * @param outputs        outputs asked for; empty = all outputs, in JSON unless {@code binaryOutputs}
 * @param binaryOutputs  the request-level {@code binary_data_output} parameter
 * @param priority       1 = highest, 0 = the model's default level
 * @param timeoutUs      the request's deadline relative to arrival, µs; 0 = none given
 * @param offload        offload narrowing from the request
 */
public record InferRequest(
    String id,
    String model,
    String version,
    List<Tensor> inputs,
    List<RequestedOutput> outputs,
    boolean binaryOutputs,
    int priority,
    long timeoutUs,
    OffloadMode offload) {

  /** The same request with another deadline (µs from now); used when what is left of it runs elsewhere. */
  public InferRequest withTimeout(long timeoutUs) {
    return new InferRequest(id, model, version, inputs, outputs, binaryOutputs, priority, timeoutUs, offload);
  }
}
