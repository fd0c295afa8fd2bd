package io.coedge.inference;

import java.util.List;

/**
 * What the node knows about one model version: where it stands and, once loaded, its signature.
 *
 * @param sha256         hex digest of the model file's bytes: two nodes have "the same model" only if it matches
 * @param error          why loading failed or the version was refused, or null
 * @param manifestSha256 hex digest of the version's MANIFEST.json, or null when it has none
 * @param signerKeyId    id of the trusted key whose signature verified, or null when unsigned
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
    List<TensorSpec> outputs,
    String manifestSha256,
    String signerKeyId) {

  /** LOADING → READY → DRAINING → UNLOADED, or FAILED with a reason. */
  public enum State { LOADING, READY, DRAINING, FAILED, UNLOADED }

  public ModelVersion(String name, String version, State state, String error, String sha256, long sizeBytes,
      ModelConfig config, List<TensorSpec> inputs, List<TensorSpec> outputs) {
    this(name, version, state, error, sha256, sizeBytes, config, inputs, outputs, null, null);
  }

  public boolean ready() {
    return state == State.READY;
  }

  /** Numeric order of version folder names. */
  public long versionNumber() {
    return Long.parseLong(version);
  }

  /** This version in another state, with its facts kept. */
  public ModelVersion withState(State s, String why) {
    return new ModelVersion(name, version, s, why, sha256, sizeBytes, config, inputs, outputs, manifestSha256,
        signerKeyId);
  }
}
