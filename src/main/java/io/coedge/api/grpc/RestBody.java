package io.coedge.api.grpc;

import com.google.protobuf.UnsafeByteOperations;
import io.coedge.api.grpc.v2.ModelInferResponse;
import io.coedge.inference.InferRequest;
import io.coedge.inference.RequestedOutput;
import io.coedge.inference.Tensor;
import io.coedge.routing.Relayed;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * How a gRPC request travels when it is offloaded: as the REST binary tensor extension body (a small JSON header
 * naming the tensors, then their bytes as they are; outputs asked for in binary), so the cloud node's one infer
 * route serves it and no tensor goes through JSON. The cloud's answer comes back in the same layout and becomes a
 * {@code ModelInferResponse} with {@code raw_output_contents}.
 */
final class RestBody {

  static final String CONTENT_TYPE = "application/octet-stream";

  /** The request body and its {@code Inference-Header-Content-Length}. */
  record Encoded(Buffer body, String jsonLength) {
  }

  private RestBody() {
  }

  static Encoded encode(InferRequest r) {
    JsonArray inputs = new JsonArray();
    long bytes = 0;
    for (Tensor t : r.inputs()) {
      inputs.add(new JsonObject().put("name", t.name()).put("datatype", t.type().name())
          .put("shape", shape(t.shape())).put("parameters", new JsonObject().put("binary_data_size", t.byteSize())));
      bytes += t.byteSize();
    }
    JsonObject params = new JsonObject().put("binary_data_output", true);
    if (r.priority() > 0) {
      params.put("priority", r.priority());
    }
    JsonObject head = new JsonObject().put("parameters", params).put("inputs", inputs);
    if (r.id() != null) {
      head.put("id", r.id());
    }
    if (!r.outputs().isEmpty()) {
      JsonArray outputs = new JsonArray();
      for (RequestedOutput o : r.outputs()) {
        outputs.add(new JsonObject().put("name", o.name()));
      }
      head.put("outputs", outputs);
    }
    Buffer json = head.toBuffer();
    Buffer body = Buffer.buffer((int) Math.min(Integer.MAX_VALUE, json.length() + bytes)).appendBuffer(json);
    for (Tensor t : r.inputs()) {
      body.appendBytes(RawTensors.of(t).toByteArray());
    }
    return new Encoded(body, Integer.toString(json.length()));
  }

  private static JsonArray shape(long[] shape) {
    JsonArray a = new JsonArray();
    for (long d : shape) {
      a.add(d);
    }
    return a;
  }

  /** The cloud node's answer as a gRPC response; a malformed answer is an internal fault (the peer is ours). */
  static ModelInferResponse decode(Relayed a, String model, String id) {
    Buffer body = a.body();
    int jsonLength = parse(a.headerLength(), body.length());
    JsonObject head;
    try {
      head = new JsonObject(body.slice(0, jsonLength));
    } catch (DecodeException e) {
      throw new IllegalStateException("cloud node answered with malformed JSON: " + e.getMessage());
    }
    ModelInferResponse.Builder b = ModelInferResponse.newBuilder().setModelName(model).setModelVersion(a.version());
    if (id != null) {
      b.setId(id);
    }
    int at = jsonLength;
    for (Object o : head.getJsonArray("outputs", new JsonArray())) {
      JsonObject out = (JsonObject) o;
      ModelInferResponse.InferOutputTensor.Builder t = ModelInferResponse.InferOutputTensor.newBuilder()
          .setName(out.getString("name")).setDatatype(out.getString("datatype"));
      out.getJsonArray("shape").forEach(d -> t.addShape(((Number) d).longValue()));
      Long size = out.getJsonObject("parameters", new JsonObject()).getLong("binary_data_size");
      if (size == null || size < 0 || at + size > body.length()) {
        throw new IllegalStateException("cloud node answered output '" + t.getName() + "' outside the binary section");
      }
      b.addOutputs(t).addRawOutputContents(UnsafeByteOperations.unsafeWrap(body.getBytes(at, at + size.intValue())));
      at += size.intValue();
    }
    return b.build();
  }

  private static int parse(String headerLength, int total) {
    if (headerLength == null) {
      return total;
    }
    int n = Integer.parseInt(headerLength.trim());
    if (n < 0 || n > total) {
      throw new IllegalStateException("cloud node answered with Inference-Header-Content-Length " + n + " for a "
          + total + "-byte body");
    }
    return n;
  }
}
