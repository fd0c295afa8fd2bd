package io.coedge.api.codec;

import static io.coedge.api.codec.DecodeErrors.invalid;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.UTF8StreamJsonParser;
import io.coedge.inference.InferRequest;
import io.coedge.inference.InferenceException;
import io.coedge.inference.TensorSpec;
import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.io.IOException;
import java.util.List;
import java.util.Objects;

/**
 * Decodes an Open Inference Protocol v2 infer request body (JSON, optionally followed by Triton's binary
 * tensor section) into an {@link InferRequest}. Thread-safe; make one per server and reuse it.
 *
 * <p>Every failure is an {@link InferenceException}: {@code InvalidInput} (400) naming the input and
 * what is wrong, or {@code TooLarge} (413) for content over a byte limit (see {@link CodecLimits}).
 * Sizes are checked before anything is allocated: a declared shape must fit the limits, and its
 * elements must fit in the JSON that carries them (at least two bytes each), so a tensor's buffer is
 * never more than a few times the size of the body that asked for it.
 *
 * <p>Numbers are parsed with Jackson's streaming parser straight into each tensor's little-endian
 * buffer when {@code datatype} and {@code shape} come before {@code data}; when {@code data} comes
 * first its extent is remembered and parsed again once the type is known. Binary inputs are views of the
 * body's bytes (no copy; see {@link BinarySection}).
 */
public final class RequestDecoder {

  private final CodecLimits limits;
  private final JsonFactory json;

  public RequestDecoder(CodecLimits limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
    this.json = JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(limits.maxNestingDepth()).build())
        .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
        // Parses floats from the parser's char buffer; the JDK path allocates a String per number.
        .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
        // Field names are client-chosen; keep them out of the JVM's string table.
        .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
        .build();
  }

  public RequestDecoder() {
    this(CodecLimits.DEFAULTS);
  }

  /**
   * @param model      model name from the path
   * @param version    version from the path, or null
   * @param body       the whole request body
   * @param jsonLength the {@code Inference-Header-Content-Length} header, or -1 when absent (then the
   *                   whole body is JSON and there is no binary section)
   */
  public InferRequest decode(String model, String version, Buffer body, int jsonLength) {
    int total = body == null ? 0 : body.length();
    if (jsonLength < -1) {
      throw invalid("Inference-Header-Content-Length must be a non-negative integer, got " + jsonLength);
    }
    if (jsonLength > total) {
      throw invalid("Inference-Header-Content-Length " + jsonLength + " is larger than the request body ("
          + total + " bytes)");
    }
    int jsonBytes = jsonLength < 0 ? total : jsonLength;
    if (jsonBytes == 0) {
      throw invalid(total == 0 ? "request body is empty; expected a JSON object with 'inputs'"
          : "Inference-Header-Content-Length is 0; the request has no JSON part");
    }
    byte[] bytes;
    int start;
    ByteBuf buf = body instanceof BufferInternal internal ? internal.getByteBuf() : null;
    if (buf != null && buf.hasArray()) {
      bytes = buf.array(); // a view of the body's heap array: no copy
      start = buf.arrayOffset() + buf.readerIndex();
    } else {
      bytes = body.getBytes();
      start = 0;
    }
    // Jackson decodes overlong forms and encoded surrogates without complaint ("\xC0\xAF" becomes "/").
    int bad = Utf8.firstInvalid(bytes, start, start + jsonBytes);
    if (bad >= 0) {
      throw invalid("request body is not valid JSON: invalid UTF-8 at byte " + (bad - start));
    }
    BinarySection binary = new BinarySection(bytes, start + jsonBytes, start + total, jsonLength >= 0, limits);
    try (JsonParser p = json.createParser(bytes, start, jsonBytes)) {
      if (!(p instanceof UTF8StreamJsonParser)) {
        // Jackson guessed UTF-16/32 from zero bytes; the protocol is UTF-8 and byte offsets rely on it.
        throw invalid("request body is not valid JSON: it must be UTF-8 encoded");
      }
      InputReader inputs = new InputReader(json, limits, p, bytes, start, jsonBytes, binary);
      return new RequestReader(limits, p, inputs, binary).read(model, version);
    } catch (StreamConstraintsException e) {
      String m = e.getOriginalMessage();
      throw invalid(m != null && m.contains("nesting depth")
          ? "request body is nested more than " + limits.maxNestingDepth() + " levels deep"
          : "request body exceeds a parser limit: " + clean(m));
    } catch (JsonProcessingException e) {
      throw invalid("request body is not valid JSON: " + clean(e.getOriginalMessage()) + where(e.getLocation()));
    } catch (IOException e) {
      throw invalid("request body could not be read: " + e.getMessage());
    }
  }

  /**
   * A raw binary request ({@code Inference-Header-Content-Length: 0}): the whole body is the one input of a
   * single-input model whose inputs are {@code inputs}; see {@link RawRequest}.
   */
  public InferRequest decodeRaw(String model, String version, Buffer body, List<TensorSpec> inputs) {
    return RawRequest.decode(model, version, body, inputs, limits);
  }

  /** Drops Jackson's hints about its own configuration and source descriptions, which mean nothing to clients. */
  private static String clean(String message) {
    if (message == null) {
      return "malformed";
    }
    String m = message;
    int cut = m.indexOf('\n');
    if (cut >= 0) {
      m = m.substring(0, cut);
    }
    cut = m.indexOf(": enable `");
    if (cut >= 0) {
      m = m.substring(0, cut);
    }
    cut = m.indexOf(" (start marker at [Source");
    if (cut >= 0) {
      m = m.substring(0, cut);
    }
    cut = m.indexOf(", from `StreamReadConstraints");
    if (cut >= 0) {
      m = m.substring(0, cut) + ")";
    }
    return m;
  }

  private static String where(JsonLocation at) {
    return at == null || at.getLineNr() < 0 ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
  }
}
