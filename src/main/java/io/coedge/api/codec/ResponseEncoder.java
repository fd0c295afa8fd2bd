package io.coedge.api.codec;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.io.SerializedString;
import io.coedge.inference.DataType;
import io.coedge.inference.InferRequest;
import io.coedge.inference.InferResult;
import io.coedge.inference.RequestedOutput;
import io.coedge.inference.Tensor;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Encodes an infer response: {@code {"model_name","model_version","id"?,"outputs":[...]}}, followed by the
 * binary section when any output goes binary. Thread-safe; make one per server and reuse it.
 *
 * <p>Outputs come in the order the request listed them, or in the result's order when it listed none.
 * A listed output goes binary when its {@link RequestedOutput#binary()} says so (the decoder has already
 * folded the request's {@code binary_data_output} into it); an unlisted one when the request set
 * {@code binary_data_output}. A BYTES output that is not valid UTF-8 also goes binary, whatever was asked:
 * a JSON string cannot carry arbitrary bytes, and binary is the protocol's own lossless form (a client
 * that handles the binary extension reads it like any other binary output; replacing bytes or inventing
 * a base64 convention would silently change the data).
 */
public final class ResponseEncoder {

  /**
   * @param body       the response body
   * @param jsonLength the {@code Inference-Header-Content-Length} to send, or -1 when the body is all JSON
   */
  public record Encoded(Buffer body, int jsonLength) {
  }

  private static final SerializableString MODEL_NAME = new SerializedString("model_name");
  private static final SerializableString MODEL_VERSION = new SerializedString("model_version");
  private static final SerializableString ID = new SerializedString("id");
  private static final SerializableString OUTPUTS = new SerializedString("outputs");
  private static final SerializableString NAME = new SerializedString("name");
  private static final SerializableString DATATYPE = new SerializedString("datatype");
  private static final SerializableString SHAPE = new SerializedString("shape");
  private static final SerializableString DATA = new SerializedString("data");
  private static final SerializableString PARAMETERS = new SerializedString("parameters");
  private static final SerializableString BINARY_DATA_SIZE = new SerializedString("binary_data_size");

  private final JsonFactory json = JsonFactory.builder()
      .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
      .build();
  private final BiFunction<String, String, List<String>> labels;

  /** @param labels a model version's class names (model, version), for the classification extension */
  public ResponseEncoder(BiFunction<String, String, List<String>> labels) {
    this.labels = labels;
  }

  /** Without class names: classified outputs are {@code "score:index"}. */
  public ResponseEncoder() {
    this((model, version) -> List.of());
  }

  /**
   * @throws IllegalArgumentException when the request listed an output the result lacks (a server fault:
   *                                  the request was validated against the model before it ran)
   */
  public Encoded encode(InferRequest request, InferResult result) {
    List<RequestedOutput> asked = request.outputs();
    int n = asked.isEmpty() ? result.outputs().size() : asked.size();
    Tensor[] outputs = new Tensor[n];
    boolean[] binary = new boolean[n];
    boolean anyBinary = false;
    long size = 128;
    for (int i = 0; i < n; i++) {
      Tensor t = asked.isEmpty() ? result.outputs().get(i) : find(result, asked.get(i).name());
      if (!asked.isEmpty() && asked.get(i).classCount() > 0) {
        t = Classification.classify(t, asked.get(i).classCount(), labels.apply(result.model(), result.version()));
      }
      boolean b = asked.isEmpty() ? request.binaryOutputs() : asked.get(i).binary();
      if (!b && t.type() == DataType.BYTES && !allUtf8(t)) {
        b = true;
      }
      outputs[i] = t;
      binary[i] = b;
      anyBinary |= b;
      size += 96 + t.name().length() + (b ? 32 + t.byteSize() : JsonTensorWriter.estimate(t));
    }
    Buffer body = Buffer.buffer((int) Math.min(size, 1 << 30));
    try (JsonGenerator g = json.createGenerator(new BufferOutputStream(body), JsonEncoding.UTF8)) {
      g.writeStartObject();
      g.writeFieldName(MODEL_NAME);
      g.writeString(result.model() != null ? result.model() : request.model());
      String version = result.version() != null ? result.version() : request.version();
      if (version != null) {
        g.writeFieldName(MODEL_VERSION);
        g.writeString(version);
      }
      if (request.id() != null) {
        g.writeFieldName(ID);
        g.writeString(request.id());
      }
      g.writeFieldName(OUTPUTS);
      g.writeStartArray();
      for (int i = 0; i < n; i++) {
        writeOutput(g, outputs[i], binary[i]);
      }
      g.writeEndArray();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("writing to a memory buffer failed", e);
    }
    if (!anyBinary) {
      return new Encoded(body, -1);
    }
    int jsonLength = body.length();
    for (int i = 0; i < n; i++) {
      if (binary[i]) {
        appendBinary(body, outputs[i]);
      }
    }
    return new Encoded(body, jsonLength);
  }

  private static void writeOutput(JsonGenerator g, Tensor t, boolean binary) throws IOException {
    g.writeStartObject();
    g.writeFieldName(NAME);
    g.writeString(t.name());
    g.writeFieldName(DATATYPE);
    g.writeString(t.type().name());
    g.writeFieldName(SHAPE);
    g.writeStartArray();
    for (long d : t.shape()) {
      g.writeNumber(d);
    }
    g.writeEndArray();
    if (binary) {
      g.writeFieldName(PARAMETERS);
      g.writeStartObject();
      g.writeFieldName(BINARY_DATA_SIZE);
      g.writeNumber(t.byteSize());
      g.writeEndObject();
    } else {
      g.writeFieldName(DATA);
      JsonTensorWriter.write(g, t);
    }
    g.writeEndObject();
  }

  /** Triton's layout: the raw little-endian elements; BYTES as a 4-byte little-endian length, then the bytes. */
  private static void appendBinary(Buffer body, Tensor t) {
    if (t.type() == DataType.BYTES) {
      for (byte[] s : t.strings()) {
        body.appendIntLE(s.length).appendBytes(s);
      }
      return;
    }
    ByteBuffer data = t.data();
    if (data.hasArray()) {
      body.appendBytes(data.array(), data.arrayOffset(), data.limit());
    } else {
      ByteBuffer all = data.duplicate();
      all.position(0);
      body.setBytes(body.length(), all);
    }
  }

  private static Tensor find(InferResult result, String name) {
    for (Tensor t : result.outputs()) {
      if (t.name().equals(name)) {
        return t;
      }
    }
    throw new IllegalArgumentException("the result of model '" + result.model() + "' has no output '" + name
        + "', which the request asked for");
  }

  private static boolean allUtf8(Tensor t) {
    for (byte[] s : t.strings()) {
      if (!Utf8.isValid(s)) {
        return false;
      }
    }
    return true;
  }
}
