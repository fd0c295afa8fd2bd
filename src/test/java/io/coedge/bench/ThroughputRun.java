package io.coedge.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicLong;

/** The timed loops of {@link OrtBaseline}: each thread calls {@code session.run} back to back on its own tensor. */
final class ThroughputRun {

  /** Latency samples kept for the single-thread run; bounds memory whatever the model's speed. */
  private static final int MAX_SAMPLES = 2_000_000;

  private ThroughputRun() {
  }

  static double samplesPerSecond(OrtEnvironment env, OrtSession session, OrtBaseline.ModelInput input, int batch,
      int threads, long warmNanos, long measureNanos) throws Exception {
    AtomicLong runs = new AtomicLong();
    // All threads start together and count only inside the same measured window.
    CyclicBarrier start = new CyclicBarrier(threads);
    Thread[] ts = new Thread[threads];
    Exception[] failure = new Exception[1];
    for (int t = 0; t < threads; t++) {
      long seed = t;
      ts[t] = new Thread(() -> {
        try (OnnxTensor tensor = input.tensor(env, batch, seed)) {
          Map<String, OnnxTensor> feed = Map.of(input.name(), tensor);
          start.await();
          long t0 = System.nanoTime();
          long measureFrom = t0 + warmNanos;
          long end = measureFrom + measureNanos;
          long counted = 0;
          long now = t0;
          while (now < end) {
            runOnce(session, feed);
            now = System.nanoTime();
            if (now >= measureFrom && now < end) {
              counted++;
            }
          }
          runs.addAndGet(counted);
        } catch (Exception e) {
          failure[0] = e;
        }
      }, "ort-baseline-" + t);
      ts[t].start();
    }
    for (Thread t : ts) {
      t.join();
    }
    if (failure[0] != null) {
      throw failure[0];
    }
    return runs.get() * batch / (measureNanos / 1e9);
  }

  static Percentiles singleThreadLatency(OrtEnvironment env, OrtSession session, OrtBaseline.ModelInput input,
      long warmNanos, long measureNanos) throws OrtException {
    long[] samples = new long[MAX_SAMPLES];
    int n = 0;
    try (OnnxTensor tensor = input.tensor(env, 1, 7)) {
      Map<String, OnnxTensor> feed = Map.of(input.name(), tensor);
      long warmEnd = System.nanoTime() + warmNanos;
      while (System.nanoTime() < warmEnd) {
        runOnce(session, feed);
      }
      long end = System.nanoTime() + measureNanos;
      while (n < samples.length) {
        long t = System.nanoTime();
        if (t >= end) {
          break;
        }
        runOnce(session, feed);
        samples[n++] = System.nanoTime() - t;
      }
    }
    return new Percentiles(samples, n);
  }

  /** One inference including reading the first output into the heap, as a server must before it can answer. */
  private static void runOnce(OrtSession session, Map<String, OnnxTensor> feed) throws OrtException {
    try (OrtSession.Result r = session.run(feed)) {
      ((OnnxTensor) r.get(0)).getFloatBuffer();
    }
  }
}
