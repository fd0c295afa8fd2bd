package io.coedge.routing;

import io.coedge.inference.DataType;
import io.coedge.inference.Tensor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The intermediate tensor of a split on the wire, in the v2 binary tensor extension (Triton's layout): a JSON
 * header naming the tensor with {@code binary_data_size}, then its raw little-endian bytes, and the tail's answer
 * asked for in the same binary form (exact floats, no JSON number round trip). The answer is untrusted input:
 * bounded and checked before use.
 */
final class SplitWire {

  static final String CONTENT_TYPE = "application/octet-stream";
  /** The largest tail answer accepted (a split model's outputs are small: counts, classes). */
  static final int MAX_ANSWER_BYTES = 16 << 20;

  /** A request body and its {@code Inference-Header-Content-Length}. */
  record Encoded(Buffer body, int jsonLength) {
  }

  private SplitWire() {
  }

  static Encoded request(String id, Tensor mid) {
    JsonArray shape = new JsonArray();
    for (long d : mid.shape()) {
      shape.add(d);
    }
    JsonObject header = new JsonObject().put("inputs", new JsonArray().add(new JsonObject().put("name", mid.name())
        .put("shape", shape).put("datatype", mid.type().name())
        .put("parameters", new JsonObject().put("binary_data_size", mid.data().limit()))))
        .put("parameters", new JsonObject().put("binary_data_output", true));
    if (id != null) {
      header.put("id", id);
    }
    Buffer json = header.toBuffer();
    ByteBuffer data = mid.data().duplicate().position(0);
    Buffer body = Buffer.buffer(json.length() + data.remaining()).appendBuffer(json);
    byte[] raw = new byte[data.remaining()];
    data.get(raw);
    return new Encoded(body.appendBytes(raw), json.length());
  }

  /** The tensors of a tail's binary answer. */
  static List<Tensor> outputs(RemoteAnswer a) {
    Buffer b = a.body();
    int jsonLength;
    try {
      jsonLength = a.headerLength() == null ? b.length() : Integer.parseInt(a.headerLength().trim());
    } catch (NumberFormatException e) {
      throw bad("Inference-Header-Content-Length '" + a.headerLength() + "'");
    }
    if (b.length() > MAX_ANSWER_BYTES || jsonLength < 0 || jsonLength > b.length()) {
      throw bad("answer of " + b.length() + " bytes with a header of " + jsonLength);
    }
    List<Tensor> out = new ArrayList<>();
    try {
      JsonArray outputs = new JsonObject(b.getBuffer(0, jsonLength)).getJsonArray("outputs");
      int at = jsonLength;
      for (int i = 0; outputs != null && i < outputs.size(); i++) {
        JsonObject o = outputs.getJsonObject(i);
        DataType t = DataType.parse(o.getString("datatype"));
        JsonArray s = o.getJsonArray("shape");
        long[] shape = new long[s.size()];
        for (int k = 0; k < shape.length; k++) {
          shape[k] = s.getLong(k);
        }
        long size = o.getJsonObject("parameters", new JsonObject()).getLong("binary_data_size", -1L);
        if (t == null || !t.isFixedSize() || size != Tensor.elementCount(shape) * t.size() || at + size > b.length()) {
          throw bad("output '" + o.getString("name") + "' (" + o.getString("datatype") + ", " + size + " bytes)");
        }
        ByteBuffer data = ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN);
        data.put(b.getBytes(at, at + (int) size)).flip();
        out.add(Tensor.fixed(o.getString("name"), t, shape, data));
        at += (int) size;
      }
    } catch (DecodeException | ClassCastException | NullPointerException | IllegalArgumentException e) {
      throw bad(e.getMessage());
    }
    if (out.isEmpty()) {
      throw bad("no outputs");
    }
    return out;
  }

  private static RemoteFailure bad(String what) {
    return new RemoteFailure(0, "the tail's answer is not usable: " + what);
  }
}
