package io.coedge.api.grpc;

import com.google.protobuf.ByteString;
import io.coedge.api.codec.CodecLimits;
import io.coedge.api.grpc.v2.InferParameter;
import io.coedge.api.grpc.v2.InferTensorContents;
import io.coedge.api.grpc.v2.ModelInferRequest;
import io.coedge.inference.DataType;
import io.coedge.inference.InferRequest;
import io.coedge.inference.InferenceException;
import io.coedge.inference.OffloadMode;
import io.coedge.inference.RequestedOutput;
import io.coedge.inference.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Decodes a {@code ModelInferRequest} into the {@link InferRequest} the REST codec would make of the same request:
 * inputs from {@code raw_input_contents} (little-endian, row-major; BYTES length-prefixed) or from typed contents,
 * the request parameters {@code priority}, {@code timeout} (µs) and {@code offload}. Shapes are checked against the
 * {@link CodecLimits} before anything is allocated; every failure is an {@link InferenceException} (400 or 413).
 */
final class ProtoRequests {

  private final CodecLimits limits;

  ProtoRequests(CodecLimits limits) {
    this.limits = limits;
  }

  /** @param deadlineUs the gRPC deadline in µs (0 = none); the request keeps the smaller of it and its timeout */
  InferRequest decode(ModelInferRequest m, long deadlineUs) {
    if (m.getModelName().isEmpty()) {
      throw InferenceException.invalid("model_name is empty");
    }
    int n = m.getInputsCount();
    if (n == 0) {
      throw InferenceException.invalid("request has no inputs");
    }
    if (n > limits.maxTensors() || m.getOutputsCount() > limits.maxTensors()) {
      throw InferenceException.invalid("request has more than " + limits.maxTensors() + " inputs or outputs");
    }
    int raw = m.getRawInputContentsCount();
    if (raw != 0 && raw != n) {
      throw InferenceException.invalid("raw_input_contents has " + raw + " entries for " + n + " inputs; send one "
          + "per input, in order, or none");
    }
    List<Tensor> inputs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      ModelInferRequest.InferInputTensor in = m.getInputs(i);
      inputs.add(input(in, raw == 0 ? null : m.getRawInputContents(i)));
    }
    List<RequestedOutput> outputs = new ArrayList<>(m.getOutputsCount());
    for (ModelInferRequest.InferRequestedOutputTensor o : m.getOutputsList()) {
      if (o.containsParameters("classification")) {
        throw InferenceException.unsupported("output parameter 'classification' is served over REST only");
      }
      outputs.add(new RequestedOutput(o.getName(), false));
    }
    Map<String, InferParameter> p = m.getParametersMap();
    int priority = (int) nonNegative(p.get("priority"), "priority", Integer.MAX_VALUE);
    long timeoutUs = nonNegative(p.get("timeout"), "timeout", Long.MAX_VALUE);
    if (deadlineUs > 0 && (timeoutUs == 0 || deadlineUs < timeoutUs)) {
      timeoutUs = deadlineUs;
    }
    OffloadMode offload = OffloadMode.AUTO;
    InferParameter o = p.get("offload");
    if (o != null) {
      offload = o.hasStringParam() ? OffloadMode.parse(o.getStringParam()) : null;
      if (offload == null) {
        throw InferenceException.invalid("parameter 'offload' must be one of auto, never, prefer");
      }
    }
    return new InferRequest(m.getId().isEmpty() ? null : m.getId(), m.getModelName(),
        m.getModelVersion().isEmpty() ? null : m.getModelVersion(), inputs, outputs, false, priority, timeoutUs,
        offload);
  }

  private static long nonNegative(InferParameter p, String name, long max) {
    if (p == null) {
      return 0;
    }
    if (!p.hasInt64Param() || p.getInt64Param() < 0 || p.getInt64Param() > max) {
      throw InferenceException.invalid("parameter '" + name + "' must be a non-negative int64_param");
    }
    return p.getInt64Param();
  }

  private Tensor input(ModelInferRequest.InferInputTensor in, ByteString raw) {
    String name = in.getName();
    DataType type = DataType.parse(in.getDatatype());
    if (type == null) {
      throw InferenceException.invalid("input '" + name + "' has unknown datatype '" + in.getDatatype() + "'");
    }
    long[] shape = shape(in);
    long count = Tensor.elementCount(shape);
    if (raw != null && in.hasContents()) {
      throw InferenceException.invalid("input '" + name + "' has contents while raw_input_contents is used");
    }
    if (type == DataType.BYTES) {
      byte[][] strings = raw != null ? RawTensors.strings(name, raw, count, limits) : typedStrings(name, in, count);
      return Tensor.bytes(name, shape, strings);
    }
    if (count * type.size() > limits.maxTensorBytes()) {
      throw InferenceException.invalid("input '" + name + "' of " + count + " " + type + " elements is larger than "
          + limits.maxTensorBytes() + " bytes");
    }
    ByteBuffer data = raw != null ? RawTensors.fixed(name, type, raw, count)
        : TypedContents.read(name, type, in.getContents(), (int) count);
    return Tensor.fixed(name, type, shape, data.order(ByteOrder.LITTLE_ENDIAN));
  }

  private long[] shape(ModelInferRequest.InferInputTensor in) {
    if (in.getShapeCount() > limits.maxRank()) {
      throw InferenceException.invalid("input '" + in.getName() + "' has rank " + in.getShapeCount()
          + ", more than " + limits.maxRank());
    }
    long[] shape = new long[in.getShapeCount()];
    long count = 1;
    for (int i = 0; i < shape.length; i++) {
      shape[i] = in.getShape(i);
      if (shape[i] < 0) {
        throw InferenceException.invalid("input '" + in.getName() + "' has a negative dimension " + shape[i]);
      }
      count = times(count, shape[i]);
      if (count > limits.maxElementsPerTensor()) {
        throw InferenceException.invalid("input '" + in.getName() + "' declares more than "
            + limits.maxElementsPerTensor() + " elements");
      }
    }
    return shape;
  }

  private static long times(long a, long b) {
    try {
      return Math.multiplyExact(a, b);
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  private byte[][] typedStrings(String name, ModelInferRequest.InferInputTensor in, long count) {
    InferTensorContents c = in.getContents();
    if (c.getBytesContentsCount() != count) {
      throw InferenceException.invalid("input '" + name + "' has " + c.getBytesContentsCount()
          + " bytes_contents for " + count + " elements");
    }
    byte[][] out = new byte[(int) count][];
    long total = 0;
    for (int i = 0; i < count; i++) {
      ByteString s = c.getBytesContents(i);
      if (s.size() > limits.maxStringBytes()) {
        throw InferenceException.tooLarge("input '" + name + "' element " + i + " is longer than "
            + limits.maxStringBytes() + " bytes");
      }
      total += 4 + s.size();
      if (total > limits.maxTensorBytes()) {
        throw InferenceException.tooLarge("input '" + name + "' is larger than " + limits.maxTensorBytes() + " bytes");
      }
      out[i] = s.toByteArray();
    }
    return out;
  }
}
