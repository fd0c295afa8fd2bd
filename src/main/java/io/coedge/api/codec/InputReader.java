package io.coedge.api.codec;

import static io.coedge.api.codec.DecodeErrors.describe;
import static io.coedge.api.codec.DecodeErrors.invalid;
import static io.coedge.api.codec.DecodeErrors.quote;
import static io.coedge.api.codec.DecodeErrors.shape;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonParser.NumberType;
import com.fasterxml.jackson.core.JsonToken;
import io.coedge.inference.DataType;
import io.coedge.inference.Tensor;
import java.io.IOException;
import java.util.Arrays;

/**
 * Reads one entry of {@code inputs}. Fields may come in any order: {@code data} is streamed at once
 * when {@code datatype} and {@code shape} are already known, else its byte range is remembered and
 * parsed again at the end of the object.
 */
final class InputReader {

  private final JsonFactory json;
  private final CodecLimits limits;
  private final JsonParser p;
  private final byte[] body;
  private final int jsonStart;
  private final int jsonLength;
  private final BinarySection binary;
  private final long[] dims;
  /** The input being read, for messages only: its name once seen, and its position. */
  private String name;
  private int index;

  InputReader(JsonFactory json, CodecLimits limits, JsonParser p, byte[] body, int jsonStart, int jsonLength,
      BinarySection binary) {
    this.json = json;
    this.limits = limits;
    this.p = p;
    this.body = body;
    this.jsonStart = jsonStart;
    this.jsonLength = jsonLength;
    this.binary = binary;
    this.dims = new long[limits.maxRank()];
  }

  /** The parser sits on the token that should open input number {@code index}. */
  Tensor read(int index) throws IOException {
    this.name = null;
    this.index = index;
    JsonToken t = p.currentToken();
    if (t != JsonToken.START_OBJECT) {
      throw invalid("inputs[" + index + "] must be an object with name, shape, datatype and data, got "
          + describe(t));
    }
    DataType type = null;
    long[] shape = null;
    Tensor tensor = null;
    boolean hasData = false;
    boolean hasParameters = false;
    long binarySize = -1;
    int deferredStart = -1;
    int deferredEnd = -1;
    for (t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
      String field = p.currentName();
      JsonToken v = p.nextToken();
      switch (field) {
        case "name" -> {
          once(name == null, field);
          if (v != JsonToken.VALUE_STRING || p.getTextLength() == 0) {
            throw invalid(label() + ": field 'name' must be a non-empty string, got " + describe(v));
          }
          name = p.getText();
        }
        case "datatype" -> {
          once(type == null, field);
          type = readType(v);
        }
        case "shape" -> {
          once(shape == null, field);
          shape = readShape(v);
        }
        case "data" -> {
          once(!hasData, field);
          hasData = true;
          if (v != JsonToken.START_ARRAY) {
            throw invalid(label() + ": field 'data' must be an array, got " + describe(v));
          }
          if (type != null && shape != null) {
            int count = elementCount(type, shape);
            checkRoom(shape, count, type, jsonLength); // the whole JSON: bounds the buffer to ~4× the body
            tensor = JsonTensorReader.read(p, name, index, type, shape, count, limits);
          } else {
            deferredStart = tokenOffset();
            p.skipChildren();
            deferredEnd = (int) p.currentLocation().getByteOffset();
          }
        }
        case "parameters" -> {
          once(!hasParameters, field);
          hasParameters = true;
          binarySize = readParameters(v);
        }
        default -> p.skipChildren();
      }
    }
    if (name == null) {
      throw invalid("inputs[" + index + "] has no 'name'");
    }
    if (type == null) {
      throw invalid(label() + " has no 'datatype'; expected one of " + DecodeErrors.DATATYPES);
    }
    if (shape == null) {
      throw invalid(label() + " has no 'shape'; expected an array of non-negative integers such as [1,8]");
    }
    if (hasData && binarySize >= 0) {
      throw invalid(label() + " has both 'data' and parameters.binary_data_size; send the tensor one way");
    }
    if (tensor != null) {
      return tensor.name() != null ? tensor : new Tensor(name, type, shape, tensor.data(), tensor.strings());
    }
    int count = elementCount(type, shape);
    if (hasData) {
      checkRoom(shape, count, type, deferredEnd - deferredStart);
      try (JsonParser again = json.createParser(body, jsonStart + deferredStart, deferredEnd - deferredStart)) {
        again.nextToken();
        return JsonTensorReader.read(again, name, index, type, shape, count, limits);
      }
    }
    if (binarySize < 0) {
      throw invalid(label() + " has neither 'data' nor parameters.binary_data_size");
    }
    return binary.take(label(), name, type, shape, count, binarySize);
  }

  private DataType readType(JsonToken v) throws IOException {
    if (v != JsonToken.VALUE_STRING) {
      throw invalid(label() + ": field 'datatype' must be a string, got " + describe(v));
    }
    DataType type = DataType.parse(p.getText());
    if (type == null) {
      throw invalid(label() + ": datatype " + quote(p.getText()) + " is not one of " + DecodeErrors.DATATYPES);
    }
    return type;
  }

  private long[] readShape(JsonToken v) throws IOException {
    if (v != JsonToken.START_ARRAY) {
      throw invalid(label() + ": field 'shape' must be an array of non-negative integers, got " + describe(v));
    }
    int rank = 0;
    for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
      if (rank == dims.length) {
        throw invalid(label() + ": shape has more than " + dims.length + " dimensions (limit maxRank)");
      }
      if (t != JsonToken.VALUE_NUMBER_INT) {
        String got = t == JsonToken.VALUE_NUMBER_FLOAT ? quote(p.getText()) : describe(t);
        throw invalid(label() + ": shape dimension " + rank + " must be a non-negative integer, got " + got);
      }
      if (p.getNumberType() == NumberType.BIG_INTEGER) {
        throw invalid(label() + ": shape dimension " + rank + " (" + p.getText() + ") is too large");
      }
      long d = p.getLongValue();
      if (d < 0) {
        throw invalid(label() + ": shape dimension " + rank + " is negative (" + d
            + "); a request's shape must be concrete");
      }
      dims[rank++] = d;
    }
    return Arrays.copyOf(dims, rank);
  }

  /** Returns binary_data_size, or -1 when absent. */
  private long readParameters(JsonToken v) throws IOException {
    if (v != JsonToken.START_OBJECT) {
      throw invalid(label() + ": field 'parameters' must be an object, got " + describe(v));
    }
    long size = -1;
    for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
      String key = p.currentName();
      JsonToken value = p.nextToken();
      if (key.equals("binary_data_size")) {
        if (value != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == NumberType.BIG_INTEGER
            || p.getLongValue() < 0) {
          throw invalid(label() + ": parameter 'binary_data_size' must be a non-negative integer, got "
              + (value.isScalarValue() ? quote(p.getText()) : describe(value)));
        }
        size = p.getLongValue();
      } else {
        p.skipChildren();
      }
    }
    return size;
  }

  /**
   * The element count of a declared shape, checked against the limits without overflowing. Shape limits
   * are 400s, not 413s: the declared shape is what is wrong (see {@link CodecLimits}).
   */
  private int elementCount(DataType type, long[] shape) {
    for (long d : shape) {
      if (d == 0) {
        return 0;
      }
    }
    long max = limits.maxElementsPerTensor();
    long count = 1;
    for (long d : shape) {
      if (count > max / d) {
        throw invalid(label() + ": shape " + shape(shape) + " has more than " + max
            + " elements (limit maxElementsPerTensor)");
      }
      count *= d;
    }
    int size = type.isFixedSize() ? type.size() : 4;
    if (count > limits.maxTensorBytes() / size) {
      throw invalid(label() + ": shape " + shape(shape) + " of " + type + " needs " + count * size
          + " bytes, more than " + limits.maxTensorBytes() + " (limit maxTensorBytes)");
    }
    return (int) count;
  }

  /**
   * Refuses, before allocating, a shape whose elements cannot fit in {@code room} bytes of JSON: every
   * element takes at least one character plus a separator (two quotes for a string).
   */
  private void checkRoom(long[] shape, int count, DataType type, long room) {
    long least = count == 0 ? 0 : (type == DataType.BYTES ? 3L : 2L) * count - 1;
    if (least > room) {
      throw invalid(label() + ": shape " + shape(shape) + " needs " + count + " elements, data has fewer (the JSON"
          + " holding it is only " + room + " bytes)");
    }
  }

  private int tokenOffset() {
    return (int) p.currentTokenLocation().getByteOffset();
  }

  /** Names the input in messages; built only when one is thrown. */
  private String label() {
    return DecodeErrors.label(name, index);
  }

  private void once(boolean first, String field) {
    if (!first) {
      throw invalid(label() + ": field '" + field + "' appears twice");
    }
  }
}
