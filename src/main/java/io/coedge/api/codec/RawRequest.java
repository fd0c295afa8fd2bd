package io.coedge.api.codec;

import static io.coedge.api.codec.DecodeErrors.invalid;
import static io.coedge.api.codec.DecodeErrors.shape;

import io.coedge.inference.DataType;
import io.coedge.inference.InferRequest;
import io.coedge.inference.InferenceException;
import io.coedge.inference.OffloadMode;
import io.coedge.inference.Tensor;
import io.coedge.inference.TensorSpec;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Triton's raw binary request ({@code Inference-Header-Content-Length: 0}): no JSON at all, the whole body is
 * the one input of a single-input model, its datatype from the model and its shape deduced from the body's
 * size. The model's shape may have one dynamic dimension, which the size decides; with two, the first is the
 * batch dimension and is 1. A BYTES body is one element (no length prefix). Outputs: all of them, in JSON.
 */
final class RawRequest {

  private RawRequest() {
  }

  static InferRequest decode(String model, String version, Buffer body, List<TensorSpec> inputs,
      CodecLimits limits) {
    if (inputs.size() != 1) {
      throw invalid("a raw binary request (Inference-Header-Content-Length: 0) needs a model with one input; '"
          + model + "' has " + inputs.size() + "; send a JSON header describing each input");
    }
    TensorSpec spec = inputs.get(0);
    int size = body == null ? 0 : body.length();
    if (spec.type() == DataType.BYTES) {
      if (size > limits.maxStringBytes()) {
        throw InferenceException.tooLarge("raw BYTES body of " + size + " bytes is longer than "
            + limits.maxStringBytes() + " (limit maxStringBytes)");
      }
      long[] shape = deduce(spec, 1, model);
      return request(model, version, Tensor.bytes(spec.name(), shape, new byte[][] {body.getBytes()}));
    }
    int element = spec.type().size();
    if (size == 0 || size % element != 0) {
      throw invalid("raw binary body of " + size + " bytes is not a whole number of " + spec.type() + " elements ("
          + element + " bytes each) for input '" + spec.name() + "'");
    }
    long[] shape = deduce(spec, size / element, model);
    if (spec.type() == DataType.BOOL) {
      for (int i = 0; i < size; i++) {
        byte b = body.getByte(i);
        if (b != 0 && b != 1) {
          throw invalid("raw binary body: element " + i + " is not a boolean (0 or 1), got " + (b & 0xFF));
        }
      }
    }
    // A view of the body, not a copy (as BinarySection's tensors): the worker copies it into its batch buffer.
    ByteBuffer view = body instanceof BufferInternal internal ? internal.getByteBuf().nioBuffer()
        : ByteBuffer.wrap(body.getBytes());
    ByteBuffer data = view.slice().order(ByteOrder.LITTLE_ENDIAN);
    return request(model, version, Tensor.fixed(spec.name(), spec.type(), shape, data));
  }

  /** The model's shape with its dynamic dimension set so that the shape holds {@code count} elements. */
  private static long[] deduce(TensorSpec spec, long count, String model) {
    long[] shape = spec.shape().clone();
    int dynamic = 0;
    for (long d : shape) {
      dynamic += d < 0 ? 1 : 0;
    }
    if (dynamic == 2 && shape.length > 0 && shape[0] < 0) {
      shape[0] = 1; // the batch dimension: one row
      dynamic = 1;
    }
    if (dynamic > 1) {
      throw invalid("a raw binary request cannot deduce the shape of input '" + spec.name() + "' of model '" + model
          + "': its shape " + shape(spec.shape()) + " has more than one dynamic dimension; send a JSON header");
    }
    long fixed = 1;
    int at = -1;
    for (int i = 0; i < shape.length; i++) {
      if (shape[i] < 0) {
        at = i;
      } else {
        fixed *= shape[i];
      }
    }
    if (at >= 0 && fixed > 0 && count % fixed == 0) {
      shape[at] = count / fixed;
    } else if (at >= 0 || fixed != count) {
      throw invalid("raw binary body holds " + count + " element(s), which do not fill input '" + spec.name()
          + "' of shape " + shape(spec.shape()) + " (-1 = any size)");
    }
    return shape;
  }

  private static InferRequest request(String model, String version, Tensor input) {
    return new InferRequest(null, model, version, List.of(input), List.of(), false, 0, 0, OffloadMode.AUTO);
  }
}
