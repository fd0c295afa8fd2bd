package io.coedge.api.codec;

import static io.coedge.api.codec.DecodeErrors.describe;
import static io.coedge.api.codec.DecodeErrors.invalid;
import static io.coedge.api.codec.DecodeErrors.quote;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonParser.NumberType;
import com.fasterxml.jackson.core.JsonToken;
import io.coedge.inference.InferRequest;
import io.coedge.inference.OffloadMode;
import io.coedge.inference.RequestedOutput;
import io.coedge.inference.Tensor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Reads the top level of one request: {@code id}, {@code parameters}, {@code inputs}, {@code outputs}. */
final class RequestReader {

  private final CodecLimits limits;
  private final JsonParser p;
  private final InputReader inputReader;
  private final BinarySection binary;

  private int priority;
  private long timeoutUs;
  private OffloadMode offload = OffloadMode.AUTO;
  private boolean binaryOutputs;

  RequestReader(CodecLimits limits, JsonParser p, InputReader inputReader, BinarySection binary) {
    this.limits = limits;
    this.p = p;
    this.inputReader = inputReader;
    this.binary = binary;
  }

  InferRequest read(String model, String version) throws IOException {
    JsonToken t = p.nextToken();
    if (t != JsonToken.START_OBJECT) {
      throw invalid(t == null ? "request body holds no JSON value; expected an object with 'inputs'"
          : "request body must be a JSON object, got " + describe(t));
    }
    String id = null;
    List<Tensor> inputs = null;
    List<RequestedOutput> outputs = null;
    boolean[] explicitBinary = null;
    boolean sawParameters = false;
    for (t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
      String field = p.currentName();
      JsonToken v = p.nextToken();
      switch (field) {
        case "id" -> {
          once(id == null, "id");
          if (v != JsonToken.VALUE_STRING) {
            throw invalid("field 'id' must be a string, got " + describe(v));
          }
          id = p.getText();
        }
        case "parameters" -> {
          once(!sawParameters, "parameters");
          sawParameters = true;
          readParameters(v);
        }
        case "inputs" -> {
          once(inputs == null, "inputs");
          inputs = readInputs(v);
        }
        case "outputs" -> {
          once(outputs == null, "outputs");
          outputs = new ArrayList<>();
          explicitBinary = readOutputs(v, outputs);
        }
        default -> p.skipChildren();
      }
    }
    if (p.nextToken() != null) {
      throw invalid("request body is not valid JSON: there is content after the top-level object");
    }
    if (inputs == null) {
      throw invalid("request has no 'inputs'; expected \"inputs\": [{\"name\", \"shape\", \"datatype\", \"data\"}]");
    }
    binary.finish();
    return new InferRequest(id, model, version, inputs, resolve(outputs, explicitBinary), binaryOutputs, priority,
        timeoutUs, offload);
  }

  /** Folds binary_data_output into the outputs that did not say binary_data themselves. */
  private List<RequestedOutput> resolve(List<RequestedOutput> outputs, boolean[] explicit) {
    if (outputs == null || outputs.isEmpty()) {
      return List.of();
    }
    if (binaryOutputs) {
      for (int i = 0; i < outputs.size(); i++) {
        if (!explicit[i]) {
          outputs.set(i, outputs.get(i).withBinary(true));
        }
      }
    }
    return Collections.unmodifiableList(outputs);
  }

  private void readParameters(JsonToken v) throws IOException {
    if (v != JsonToken.START_OBJECT) {
      throw invalid("field 'parameters' must be an object, got " + describe(v));
    }
    for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
      String name = p.currentName();
      JsonToken value = p.nextToken();
      switch (name) {
        case "priority" -> {
          if (value != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != NumberType.INT || p.getIntValue() < 0) {
            throw invalid("parameter 'priority' must be a non-negative integer (1 = highest, 0 = default), got "
                + shown(value));
          }
          priority = p.getIntValue();
        }
        case "timeout" -> {
          if (value != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == NumberType.BIG_INTEGER
              || p.getLongValue() < 0) {
            throw invalid("parameter 'timeout' must be a non-negative integer of microseconds, got " + shown(value));
          }
          timeoutUs = p.getLongValue();
        }
        case "offload" -> {
          OffloadMode mode = value == JsonToken.VALUE_STRING ? OffloadMode.parse(p.getText()) : null;
          if (mode == null) {
            throw invalid("parameter 'offload' must be one of auto, never, prefer, got " + shown(value));
          }
          offload = mode;
        }
        case "binary_data_output" -> {
          if (!value.isBoolean()) {
            throw invalid("parameter 'binary_data_output' must be true or false, got " + shown(value));
          }
          binaryOutputs = value == JsonToken.VALUE_TRUE;
        }
        default -> p.skipChildren();
      }
    }
  }

  private List<Tensor> readInputs(JsonToken v) throws IOException {
    if (v != JsonToken.START_ARRAY) {
      throw invalid("field 'inputs' must be an array of input objects, got " + describe(v));
    }
    List<Tensor> inputs = new ArrayList<>(4);
    for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
      if (inputs.size() == limits.maxTensors()) {
        throw invalid("'inputs' has more than " + limits.maxTensors() + " entries (limit maxTensors)");
      }
      Tensor tensor = inputReader.read(inputs.size());
      for (Tensor other : inputs) {
        if (other.name().equals(tensor.name())) {
          throw invalid("input " + quote(tensor.name()) + " appears twice in 'inputs'");
        }
      }
      inputs.add(tensor);
    }
    if (inputs.isEmpty()) {
      throw invalid("'inputs' is empty; send at least one input");
    }
    return Collections.unmodifiableList(inputs);
  }

  /** Fills {@code outputs}; returns which of them set binary_data themselves. */
  private boolean[] readOutputs(JsonToken v, List<RequestedOutput> outputs) throws IOException {
    if (v != JsonToken.START_ARRAY) {
      throw invalid("field 'outputs' must be an array of {\"name\"} objects, got " + describe(v));
    }
    boolean[] explicit = new boolean[limits.maxTensors()];
    for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
      int index = outputs.size();
      if (index == limits.maxTensors()) {
        throw invalid("'outputs' has more than " + limits.maxTensors() + " entries (limit maxTensors)");
      }
      if (t != JsonToken.START_OBJECT) {
        throw invalid("outputs[" + index + "] must be an object with a 'name', got " + describe(t));
      }
      String name = null;
      int[] params = {-1, 0}; // binary_data (-1 = not given), classification
      for (JsonToken f = p.nextToken(); f == JsonToken.FIELD_NAME; f = p.nextToken()) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        if (field.equals("name")) {
          if (value != JsonToken.VALUE_STRING || p.getTextLength() == 0) {
            throw invalid("outputs[" + index + "]: field 'name' must be a non-empty string, got " + describe(value));
          }
          name = p.getText();
        } else if (field.equals("parameters")) {
          readOutputParameters(value, index, params);
        } else {
          p.skipChildren();
        }
      }
      if (name == null) {
        throw invalid("outputs[" + index + "] has no 'name'");
      }
      for (RequestedOutput other : outputs) {
        if (other.name().equals(name)) {
          throw invalid("output " + quote(name) + " appears twice in 'outputs'");
        }
      }
      explicit[index] = params[0] >= 0;
      outputs.add(new RequestedOutput(name, params[0] == 1, params[1]));
    }
    return explicit;
  }

  /**
   * Sets {@code params[0]} to 1 / 0 for binary_data true / false (left -1 when not given), {@code params[1]} to
   * the classification extension's class count (Triton's {@code classification}, tritonclient's
   * {@code class_count}).
   */
  private void readOutputParameters(JsonToken v, int index, int[] params) throws IOException {
    if (v != JsonToken.START_OBJECT) {
      throw invalid("outputs[" + index + "]: field 'parameters' must be an object, got " + describe(v));
    }
    for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
      String name = p.currentName();
      JsonToken value = p.nextToken();
      if (name.equals("binary_data")) {
        if (!value.isBoolean()) {
          throw invalid("outputs[" + index + "]: parameter 'binary_data' must be true or false, got "
              + describe(value));
        }
        params[0] = value == JsonToken.VALUE_TRUE ? 1 : 0;
      } else if (name.equals("classification")) {
        if (value != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != NumberType.INT || p.getIntValue() < 1) {
          throw invalid("outputs[" + index + "]: parameter 'classification' must be a positive integer (the number"
              + " of top classes to return), got " + shown(value));
        }
        params[1] = p.getIntValue();
      } else {
        p.skipChildren();
      }
    }
  }

  private String shown(JsonToken value) throws IOException {
    return value != null && value.isScalarValue() ? quote(p.getText()) : describe(value);
  }

  private static void once(boolean first, String field) {
    if (!first) {
      throw invalid("field '" + field + "' appears twice in the request");
    }
  }
}
