package io.coedge.inference;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs one inference on zeros (one row where a dimension is dynamic), as Triton's model_warmup does, so that the
 * first real request does not pay for lazy initialisation, and a model that cannot run, or answers NaN, is found
 * before it takes traffic (a rollout's canary then refuses the version).
 */
final class WarmUp {

  private WarmUp() {
  }

  /** True when a floating-point tensor holds a NaN. */
  static boolean hasNaN(OnnxTensor t) {
    if (t.getInfo().type == OnnxJavaType.FLOAT) {
      FloatBuffer b = t.getFloatBuffer();
      while (b.hasRemaining()) {
        if (Float.isNaN(b.get())) {
          return true;
        }
      }
    } else if (t.getInfo().type == OnnxJavaType.DOUBLE) {
      DoubleBuffer b = t.getDoubleBuffer();
      while (b.hasRemaining()) {
        if (Double.isNaN(b.get())) {
          return true;
        }
      }
    }
    return false;
  }

  static void run(OrtEnvironment env, OrtSession session, List<TensorSpec> inputs) throws OrtException {
    Map<String, OnnxTensor> feed = new HashMap<>();
    try {
      for (TensorSpec spec : inputs) {
        long[] shape = spec.shape().clone();
        long n = 1;
        for (int i = 0; i < shape.length; i++) {
          shape[i] = shape[i] < 0 ? 1 : shape[i];
          n *= shape[i];
        }
        OnnxJavaType javaType = OnnxTypes.toJavaType(spec.type());
        if (spec.type() == DataType.BYTES) {
          String[] empty = new String[(int) n];
          Arrays.fill(empty, "");
          feed.put(spec.name(), OnnxTensor.createTensor(env, empty, shape));
        } else if (javaType == null || n * spec.type().size() > (64 << 20)) {
          return; // an input no request could carry either, or too large to warm up cheaply
        } else {
          ByteBuffer zeros = ByteBuffer.allocateDirect((int) n * spec.type().size()).order(ByteOrder.nativeOrder());
          feed.put(spec.name(), OnnxTensor.createTensor(env, zeros, shape, javaType));
        }
      }
      try (OrtSession.Result out = session.run(feed)) {
        for (Map.Entry<String, OnnxValue> e : out) {
          if (e.getValue() instanceof OnnxTensor t && hasNaN(t)) {
            throw new IllegalStateException("output '" + e.getKey() + "' is NaN on warm-up");
          }
        }
      }
    } finally {
      feed.values().forEach(OnnxTensor::close);
    }
  }
}
