package io.coedge.inference;

import io.coedge.config.InferenceConfig;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiFunction;

/**
 * Emulates an edge box slower than this machine: after each real ONNX Runtime batch the worker stays busy
 * (parked, so the cores stay free for the other nodes of the test) for {@code factor − 1} times what the
 * batch took plus {@code extraUs}. The scheduler times the whole, so queueing, batching and the cost model see a
 * slower worker. Test code: on a shared 2-core box this is how an edge with capacity C sits next to cloud
 * nodes that must absorb 2–4 × C.
 */
public final class SlowerHardware {

  private SlowerHardware() {
  }

  /** An engine factory for {@code Gateway.start(config, engines)}. */
  public static BiFunction<InferenceConfig, Scheduler.Listener, InferenceEngine> engines(double factor,
      long extraUs) {
    return (config, listener) -> new OnnxInferenceEngine(config, listener, m -> slower(m, factor, extraUs));
  }

  /**
   * A model whose batch costs a known {@code perBatchUs + perRowUs × rows} of wall time on top of the real run (the
   * worker parks): a synthetic cost curve for tests of the batcher.
   */
  public static BiFunction<InferenceConfig, Scheduler.Listener, InferenceEngine> costCurve(long perBatchUs,
      long perRowUs) {
    return (config, listener) -> new OnnxInferenceEngine(config, listener,
        m -> wrap(m, (took, rows) -> (perBatchUs + perRowUs * rows) * 1000));
  }

  private static LoadedModel slower(LoadedModel m, double factor, long extraUs) {
    return wrap(m, (took, rows) -> (long) (took * (factor - 1)) + extraUs * 1000);
  }

  /** Extra busy time after a real batch, from what it took (ns) and its rows. */
  private interface Extra {
    long nanos(long took, int rows);
  }

  private static LoadedModel wrap(LoadedModel m, Extra extra) {
    return new LoadedModel() {
      public String name() {
        return m.name();
      }

      public String version() {
        return m.version();
      }

      public ModelConfig config() {
        return m.config();
      }

      public List<TensorSpec> inputs() {
        return m.inputs();
      }

      public List<TensorSpec> outputs() {
        return m.outputs();
      }

      public boolean batched() {
        return m.batched();
      }

      public List<InferResult> run(List<Job> batch, WorkerScratch scratch, long startNanos) throws Exception {
        List<InferResult> out = m.run(batch, scratch, startNanos);
        long took = System.nanoTime() - startNanos;
        int rows = batch.stream().mapToInt(j -> j.rows).sum();
        long until = System.nanoTime() + extra.nanos(took, rows);
        for (long left = until - System.nanoTime(); left > 0; left = until - System.nanoTime()) {
          LockSupport.parkNanos(left);
        }
        return out;
      }

      public LoadedModel real() {
        return m.real();
      }

      public long emulatedNanos(long realNanos, int rows) {
        return m.emulatedNanos(realNanos, rows) + extra.nanos(realNanos, rows);
      }
    };
  }
}
