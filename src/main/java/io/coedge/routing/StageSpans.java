package io.coedge.routing;

import io.coedge.inference.ComputeTimes;
import io.coedge.inference.InferResult;
import io.coedge.observability.RequestTrace;

/**
 * The queue and compute spans of a request that ran here, from the figures the worker already measured for the
 * statistics (queue µs, and the batch's input/infer/output ns): nothing is added on the worker thread.
 */
final class StageSpans {

  private StageSpans() {
  }

  /** {@code queuedNs}: when the request was handed to the engine ({@link RequestTrace#now()}). */
  static void local(RequestTrace t, long queuedNs, InferResult r) {
    if (!t.traced()) {
      return;
    }
    long computeStart = queuedNs + r.queueUs() * 1000;
    t.stage("queue", queuedNs, computeStart);
    RequestTrace.Stage compute = t.open("compute", computeStart);
    ComputeTimes c = r.times();
    if (c == null) {
      compute.end(computeStart + r.computeUs() * 1000, null);
      return;
    }
    long inferStart = computeStart + c.inputNs();
    long outputStart = inferStart + c.inferNs();
    compute.step("compute_input", computeStart, inferStart);
    compute.step("compute_infer", inferStart, outputStart);
    compute.step("compute_output", outputStart, outputStart + c.outputNs());
    compute.end(outputStart + c.outputNs(), null);
  }
}
