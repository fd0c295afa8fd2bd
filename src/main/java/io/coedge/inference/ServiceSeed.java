package io.coedge.inference;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.logging.Logger;

/**
 * The compute time of a split model, head or tail, measured before it takes traffic, so that every plan that
 * would run it is ranked on a measured figure (an untried head or tail used to count as 0 µs, and an untried split
 * looked free). The backend runs at real speed on one row of zeros: once unmeasured — a session's first runs pay
 * for lazy allocations — then {@value #RUNS} times; the median, as the backend costs it (an emulated slower edge
 * scales it: {@link LoadedModel#emulatedNanos}, so an edge emulated 300x slower does not spend 300x the measuring
 * time before it starts), seeds the model's service time until real batches replace it. Not applied to other models: their
 * first requests measure them (a local estimate of 0 keeps a request local), as before.
 */
final class ServiceSeed {

  private static final Logger LOG = Logger.getLogger(ServiceSeed.class.getName());
  /** Three: the median drops one odd run; each run costs a real inference at load. */
  static final int RUNS = 3;

  private ServiceSeed() {
  }

  /** True for a model that declares split points and for the heads and tails of one. */
  static boolean wanted(ModelVersion view) {
    return SplitParts.isPart(view.name()) || !view.config().splitPoints().isEmpty();
  }

  /** Median ns of {@value #RUNS} one-row runs on zeros after an unmeasured one; 0 when it cannot be measured. */
  static long measure(LoadedModel backend) {
    LoadedModel real = backend.real();
    List<Tensor> inputs = new ArrayList<>();
    for (TensorSpec spec : backend.inputs()) {
      if (!spec.type().isFixedSize()) {
        return 0;
      }
      long[] shape = spec.shape().clone();
      long n = spec.type().size();
      for (int i = 0; i < shape.length; i++) {
        shape[i] = shape[i] < 0 ? 1 : shape[i];
        n *= shape[i];
      }
      if (n > 64 << 20) {
        return 0;
      }
      inputs.add(Tensor.fixed(spec.name(), spec.type(), shape,
          ByteBuffer.allocate((int) n).order(ByteOrder.LITTLE_ENDIAN)));
    }
    InferRequest r = new InferRequest("service-seed", backend.name(), backend.version(), inputs, List.of(), false, 0,
        0, null);
    Job job = new Job(r, real, System.nanoTime(), Long.MAX_VALUE, 0, 0, 1, (res, err) -> { });
    WorkerScratch scratch = new WorkerScratch();
    long[] took = new long[RUNS];
    try {
      for (int i = -1; i < RUNS; i++) {
        long t0 = System.nanoTime();
        real.run(List.of(job), scratch, t0);
        if (i >= 0) {
          took[i] = System.nanoTime() - t0;
        }
      }
    } catch (Exception e) {
      LOG.warning(backend.name() + "/" + backend.version() + ": no service time measured before traffic: " + e);
      return 0;
    }
    Arrays.sort(took);
    return backend.emulatedNanos(RUNS % 2 == 1 ? took[RUNS / 2] : (took[RUNS / 2 - 1] + took[RUNS / 2]) / 2, 1);
  }
}
