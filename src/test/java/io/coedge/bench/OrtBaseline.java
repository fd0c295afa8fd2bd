package io.coedge.bench;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Random;
import java.util.Set;

/**
 * What ONNX Runtime alone does with a model on this machine, the yardstick for the gateway: samples/s
 * with {@code threads} threads (default: cores) sharing one session, per batch size, and the latency of a
 * single thread at batch 1. Each thread reuses one input tensor over a direct native-order buffer, as the
 * gateway's workers do (DESIGN §5), so the numbers contain no per-call allocation. Session options match
 * the gateway's: intra-op 1, inter-op 1, sequential, all optimisations.
 *
 * <pre>OrtBaseline --model models/traffic-counter/1/model.onnx [--threads 2] [--batches 1,2,4,8,16,32]
 *             [--seconds 3] [--warmup 1]</pre>
 */
public final class OrtBaseline {

  static final String USAGE = "--model FILE [--threads N] [--batches 1,2,4,8,16,32] [--seconds S] [--warmup S]";

  private OrtBaseline() {
  }

  public static void main(String[] args) {
    BenchArgs.run("OrtBaseline", USAGE, () -> {
      BenchArgs a = new BenchArgs(args, Set.of("model", "threads", "batches", "seconds", "warmup"));
      String model = a.string("model", null);
      int threads = a.integer("threads", Runtime.getRuntime().availableProcessors(), 1, 256);
      int[] batches = Arrays.stream(a.string("batches", "1,2,4,8,16,32").split(",")).mapToInt(Integer::parseInt)
          .toArray();
      long measureNanos = (long) (a.number("seconds", 3, 0.1, 300) * 1e9);
      long warmNanos = (long) (a.number("warmup", 1, 0, 60) * 1e9);
      OrtEnvironment env = OrtEnvironment.getEnvironment();
      try (OrtSession.SessionOptions options = sessionOptions(); OrtSession session = env.createSession(model, options)) {
        ModelInput input = ModelInput.of(session);
        double bestRate = 0;
        int bestBatch = 0;
        double batch1Rate = 0;
        for (int batch : batches) {
          if (!input.accepts(batch)) {
            continue;
          }
          CpuSnapshot before = CpuSnapshot.take(0);
          double rate = ThroughputRun.samplesPerSecond(env, session, input, batch, threads, warmNanos, measureNanos);
          // Other processes on the cores lower the baseline and flatter the gateway: say how much there was.
          double other = before.otherCores(CpuSnapshot.take(0));
          System.out.println(new JsonObject().put("model", model).put("batch", batch).put("threads", threads)
              .put("samples_per_s", Math.round(rate * 10) / 10.0)
              .put("other_cpu_cores", Math.round(other * 100) / 100.0).encode());
          if (rate > bestRate) {
            bestRate = rate;
            bestBatch = batch;
          }
          if (batch == 1) {
            batch1Rate = rate;
          }
        }
        Percentiles single = ThroughputRun.singleThreadLatency(env, session, input, warmNanos, measureNanos);
        System.out.println(new JsonObject().put("model", model).put("batch", 1).put("threads", 1)
            .put("runs", single.count()).put("p50_ms", single.millis(0.5)).put("p90_ms", single.millis(0.9))
            .put("p99_ms", single.millis(0.99)).encode());
        System.out.println(new JsonObject().put("summary", "ort_baseline").put("model", model)
            .put("threads", threads).put("best_batch", bestBatch)
            .put("best_samples_per_s", Math.round(bestRate * 10) / 10.0)
            .put("batch1_samples_per_s", Math.round(batch1Rate * 10) / 10.0)
            .put("batch1_single_thread_p50_ms", single.millis(0.5)).encode());
      }
    });
  }

  static OrtSession.SessionOptions sessionOptions() throws OrtException {
    OrtSession.SessionOptions o = new OrtSession.SessionOptions();
    o.setIntraOpNumThreads(1);
    o.setInterOpNumThreads(1);
    o.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
    o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
    return o;
  }

  /** The model's first input: its name and the shape of one row (the dims after the batch dim). */
  record ModelInput(String name, long batchDim, long[] rowShape) {

    static ModelInput of(OrtSession session) throws OrtException {
      NodeInfo info = session.getInputInfo().values().iterator().next();
      long[] shape = ((TensorInfo) info.getInfo()).getShape();
      for (int i = 1; i < shape.length; i++) {
        if (shape[i] < 1) {
          throw new IllegalArgumentException("input " + info.getName() + " has a dynamic non-batch dim: "
              + Arrays.toString(shape));
        }
      }
      return new ModelInput(info.getName(), shape[0], Arrays.copyOfRange(shape, 1, shape.length));
    }

    boolean accepts(int batch) {
      return batchDim < 1 || batchDim == batch;
    }

    int rowElements() {
      return (int) Arrays.stream(rowShape).reduce(1, (x, y) -> x * y);
    }

    long[] shape(int batch) {
      long[] s = new long[rowShape.length + 1];
      s[0] = batch;
      System.arraycopy(rowShape, 0, s, 1, rowShape.length);
      return s;
    }

    /** A tensor over a direct buffer (ONNX Runtime reads it in place) filled with fixed pseudo-random data. */
    OnnxTensor tensor(OrtEnvironment env, int batch, long seed) throws OrtException {
      int n = batch * rowElements();
      FloatBuffer buf = ByteBuffer.allocateDirect(n * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
      Random r = new Random(seed);
      for (int i = 0; i < n; i++) {
        buf.put(i, r.nextFloat());
      }
      return OnnxTensor.createTensor(env, buf, shape(batch));
    }
  }
}
