package io.coedge.inference;

/**
 * One model version resolved for one request: looked up once where the request enters the router and passed
 * down, so a request taken before a swap validates, queues and runs on the version (and session) it resolved.
 */
public interface ModelHandle {

  /** The version's metadata. */
  ModelVersion view();

  /**
   * Checks the request against this version's inputs and outputs; its batch size in rows.
   *
   * @throws InferenceException.InvalidInput naming what is wrong
   */
  int validate(InferRequest request);

  /** A snapshot of this version's queue and service statistics; {@link ModelLoad#estimateUs()} estimates. */
  ModelLoad load();

  /**
   * A local answer took {@code observedUs} from admission (taken with the snapshot {@code admittedWith}): teaches
   * the estimate what the queueing shape misses.
   */
  void answered(ModelLoad admittedWith, double observedUs);
}
