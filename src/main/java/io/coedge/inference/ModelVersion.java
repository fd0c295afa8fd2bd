package io.coedge.inference;

import java.util.List;

/**
 * What the node knows about one model version: where it stands and, once loaded, its signature.
 *
 * @param sha256 hex digest of the model file's bytes: two nodes have "the same model" only if it matches
 * @param error  why loading failed, or null
 */
public record ModelVersion(
    String name,
    String version,
    State state,
    String error,
    String sha256,
    long sizeBytes,
    ModelConfig config,
    List<TensorSpec> inputs,
    List<TensorSpec> outputs) {

  public enum State { LOADING, READY, FAILED, UNLOADED }

  public boolean ready() {
    return state == State.READY;
  }

  /** Numeric order of version folder names. */
  public long versionNumber() {
    return Long.parseLong(version);
  }
}
