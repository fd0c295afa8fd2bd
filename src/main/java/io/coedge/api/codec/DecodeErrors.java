package io.coedge.api.codec;

import com.fasterxml.jackson.core.JsonToken;
import io.coedge.inference.DataType;
import io.coedge.inference.InferenceException;
import java.util.Arrays;
import java.util.stream.Collectors;

/** Message building for the decoder's 400s; only ever runs on the error path. */
final class DecodeErrors {

  /** Longest piece of client text echoed back in a message. */
  private static final int MAX_ECHO = 64;

  static final String DATATYPES = Arrays.stream(DataType.values()).map(Enum::name)
      .collect(Collectors.joining(", "));

  private DecodeErrors() {
  }

  static InferenceException invalid(String message) {
    return InferenceException.invalid(message);
  }

  /** How messages name an input: by name once known, else by position. */
  static String label(String name, int index) {
    return name != null ? "input " + quote(name) : "inputs[" + index + "]";
  }

  /** Single-quoted, shortened client text. */
  static String quote(String s) {
    return "'" + (s.length() <= MAX_ECHO ? s : s.substring(0, MAX_ECHO) + "...") + "'";
  }

  /** {@code [2,8]}, the way clients write shapes. */
  static String shape(long[] shape) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < shape.length; i++) {
      sb.append(i == 0 ? "" : ",").append(shape[i]);
    }
    return sb.append(']').toString();
  }

  /** What a token is, for "got ..." clauses. */
  static String describe(JsonToken t) {
    if (t == null) {
      return "the end of the body";
    }
    return switch (t) {
      case START_OBJECT -> "an object";
      case START_ARRAY -> "an array";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      default -> t.name();
    };
  }
}
