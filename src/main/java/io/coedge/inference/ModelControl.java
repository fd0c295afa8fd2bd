package io.coedge.inference;

import io.vertx.core.Future;
import java.util.List;
import java.util.function.Consumer;

/** Live model changes on this node (Triton's model repository extension and model control modes). */
public interface ModelControl {

  /** {@code none}, {@code poll} or {@code explicit}. */
  String mode();

  /** Every version in the repository or loaded, whatever its state, in name then version order. */
  List<ModelVersion> index();

  /**
   * Loads (or reloads) the versions of {@code model} its version policy wants, each warmed up before it takes
   * traffic, then drains the versions it no longer wants. Fails with a 400/404 {@link InferenceException} naming
   * the reason when the model is unknown or no wanted version could load; the old versions then keep serving.
   *
   * @param config a config.yaml override (YAML or JSON text), or null
   */
  Future<List<ModelVersion>> load(String model, String config);

  /** Stops new requests to every version of {@code model}; each closes once its queued requests have answered. */
  Future<Void> unload(String model);

  /** Scans the repository once (what {@code poll} mode does every interval). */
  Future<Void> poll();

  /** The version policy {@code model}'s config.yaml gave when last read. */
  default VersionPolicy policy(String model) {
    return VersionPolicy.DEFAULT;
  }

  /** Calls {@code listener} on every state change of a version (for metrics and logs). */
  void listen(Consumer<ModelVersion> listener);

  /** The control of an engine whose models never change ({@code none}). */
  static ModelControl fixed(InferenceEngine engine) {
    return new ModelControl() {
      @Override
      public String mode() {
        return "none";
      }

      @Override
      public List<ModelVersion> index() {
        return engine.models();
      }

      @Override
      public Future<List<ModelVersion>> load(String model, String config) {
        return Future.failedFuture(InferenceException.invalid("this node cannot load models at run time"));
      }

      @Override
      public Future<Void> unload(String model) {
        return Future.failedFuture(InferenceException.invalid("this node cannot unload models at run time"));
      }

      @Override
      public Future<Void> poll() {
        return Future.succeededFuture();
      }

      @Override
      public void listen(Consumer<ModelVersion> listener) {
      }
    };
  }
}
