package io.coedge.api.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coedge.inference.InferRequest;
import io.coedge.inference.InferResult;
import io.coedge.inference.InferenceException;
import io.coedge.inference.Tensor;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Whatever arrives, the decoder either decodes it or answers 400/413: never another exception, never a hang.
 */
class DecoderRobustnessProperties {

  private static final RequestDecoder DECODER = new RequestDecoder();

  /** Valid requests to mutate: JSON part and binary part. */
  private static final List<String[]> BASES = List.of(
      new String[] {"{\"id\":\"r1\",\"parameters\":{\"priority\":1,\"timeout\":5000,\"offload\":\"never\"},"
          + "\"inputs\":[{\"name\":\"features\",\"shape\":[2,4],\"datatype\":\"FP32\","
          + "\"data\":[[1,2,3,4],[5,6,7,8.5]]},{\"name\":\"ids\",\"shape\":[3],\"datatype\":\"INT64\","
          + "\"data\":[1,-2,3]},{\"data\":[\"a\",\"b\\u00e9\"],\"name\":\"s\",\"shape\":[2],\"datatype\":\"BYTES\"}],"
          + "\"outputs\":[{\"name\":\"y\",\"parameters\":{\"binary_data\":true}}]}", ""},
      new String[] {"{\"inputs\":[{\"name\":\"img\",\"datatype\":\"UINT8\",\"shape\":[2,2],"
          + "\"parameters\":{\"binary_data_size\":4}},{\"name\":\"h\",\"datatype\":\"FP16\",\"shape\":[2],"
          + "\"data\":[0.5,-1]},{\"name\":\"t\",\"datatype\":\"BYTES\",\"shape\":[1],"
          + "\"parameters\":{\"binary_data_size\":7}},{\"name\":\"b\",\"datatype\":\"BOOL\",\"shape\":[1,2],"
          + "\"data\":[[true,0]]}],\"parameters\":{\"binary_data_output\":true}}", "\u0001\u0002\u0003\u0004"
          + "\u0003\u0000\u0000\u0000abc"});

  private static final List<String> TOKENS = List.of("[", "]", "{", "}", ",", ":", "\"", "\\", "-", "0", "1e999",
      "-1", "0.5", "NaN", "null", "true", "false", "\"x\"", "99999999999999999999", "[[[[[[[[[[", "]]]]",
      "\"data\":", "\"shape\":[", "\"datatype\":\"BYTES\"", "\"binary_data_size\":", "\u00e9", "\u0000", " ",
      "\"inputs\":[]", "1.5", "4294967296", "\"name\":\"features\"");

  record Mutation(int kind, int position, int value) {
  }

  @Provide
  Arbitrary<List<Mutation>> mutations() {
    Arbitrary<Mutation> one = Combinators.combine(Arbitraries.integers().between(0, 6),
        Arbitraries.integers().between(0, Integer.MAX_VALUE), Arbitraries.integers().between(0, 255))
        .as(Mutation::new);
    return one.list().ofMinSize(1).ofMaxSize(4);
  }

  @Property(tries = 2000)
  void randomBytesAreDecodedOrRejected(@ForAll @Size(max = 300) byte[] bytes,
      @ForAll @IntRange(min = -3, max = 310) int jsonLength, @ForAll boolean withHeader) {
    decodeOrReject(Buffer.buffer(bytes), withHeader ? jsonLength : -1);
  }

  @Property(tries = 2000)
  void tokenSoupIsDecodedOrRejected(@ForAll("soup") String json) {
    decodeOrReject(Buffer.buffer(json), -1);
  }

  @Provide
  Arbitrary<String> soup() {
    return Arbitraries.of(TOKENS).list().ofMaxSize(60).map(l -> "{\"inputs\":[{" + String.join("", l));
  }

  @Property(tries = 2000)
  void mutatedValidRequestsAreDecodedOrRejected(@ForAll @IntRange(min = 0, max = 1) int base,
      @ForAll("mutations") List<Mutation> mutations) {
    byte[] json = BASES.get(base)[0].getBytes(StandardCharsets.UTF_8);
    byte[] binary = BASES.get(base)[1].getBytes(StandardCharsets.ISO_8859_1);
    int lengthDelta = 0;
    boolean header = binary.length > 0;
    for (Mutation m : mutations) {
      int at = json.length == 0 ? 0 : m.position() % (json.length + 1);
      switch (m.kind()) {
        case 0 -> json = Arrays.copyOf(json, at);
        case 1 -> {
          if (at < json.length) {
            json[at] = (byte) m.value();
          }
        }
        case 2 -> json = insert(json, at, TOKENS.get(m.value() % TOKENS.size()).getBytes(StandardCharsets.UTF_8));
        case 3 -> json = splice(json, at, Math.min(json.length, at + m.value() % 20), new byte[0]);
        case 4 -> json = insert(json, at, Arrays.copyOfRange(json, at, Math.min(json.length, at + m.value() % 40)));
        case 5 -> lengthDelta += m.value() % 7 - 3;
        default -> {
          header = !header;
          if (binary.length > 0) {
            binary = binary.clone();
            binary[m.position() % binary.length] = (byte) m.value();
          }
        }
      }
    }
    Buffer body = Buffer.buffer(json).appendBytes(binary);
    decodeOrReject(body, header ? json.length + lengthDelta : -1);
  }

  @Property(tries = 1000)
  void fp32ValuesSurviveJsonBitForBit(@ForAll @Size(min = 1, max = 16) List<Float> values) {
    StringBuilder data = new StringBuilder();
    for (float f : values) {
      float v = Float.isFinite(f) ? f : 1.0f; // JSON has no literal for non-finite numbers
      data.append(data.length() == 0 ? "" : ",").append(v);
    }
    String json = "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[" + values.size() + "],\"data\":["
        + data + "]}]}";
    InferRequest first = DECODER.decode("m", null, Buffer.buffer(json), -1);
    ResponseEncoder.Encoded e = new ResponseEncoder().encode(first, new InferResult("m", "1", first.inputs(), 0, 0));
    String echoed = e.body().toString().replace("\"outputs\"", "\"inputs\"");
    InferRequest second = DECODER.decode("m", null, Buffer.buffer(echoed), -1);
    assertEquals(first.inputs().get(0).data(), second.inputs().get(0).data(), echoed);
    for (int i = 0; i < values.size(); i++) {
      float v = Float.isFinite(values.get(i)) ? values.get(i) : 1.0f;
      assertEquals(Float.floatToIntBits(v), Float.floatToIntBits(second.inputs().get(0).data().getFloat(i * 4)));
    }
  }

  @Property(tries = 2000)
  void utf8CheckAgreesWithTheJdkDecoder(@ForAll("utf8ish") byte[] bytes) {
    boolean jdk;
    try {
      CharBuffer ignored = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
      jdk = ignored != null;
    } catch (CharacterCodingException e) {
      jdk = false;
    }
    assertEquals(jdk, Utf8.isValid(bytes), () -> java.util.HexFormat.of().formatHex(bytes));
  }

  @Provide
  Arbitrary<byte[]> utf8ish() {
    // Mostly real UTF-8 with a few bytes changed, so both answers come up often.
    Arbitrary<byte[]> valid = Arbitraries.strings().ofMaxLength(12).map(s -> s.getBytes(StandardCharsets.UTF_8));
    Arbitrary<byte[]> special = Arbitraries.of(new byte[] {(byte) 0xC0, (byte) 0x80}, new byte[] {(byte) 0xED,
        (byte) 0xA0, (byte) 0x80}, new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
        new byte[] {(byte) 0xF4, (byte) 0x8F, (byte) 0xBF, (byte) 0xBF}, new byte[] {(byte) 0xE0, (byte) 0x9F,
        (byte) 0xBF}, new byte[] {(byte) 0xE2, (byte) 0x82});
    Arbitrary<byte[]> mutated = Combinators.combine(valid, Arbitraries.integers().between(0, 100),
        Arbitraries.bytes()).as((b, i, v) -> {
          byte[] c = b.clone();
          if (c.length > 0) {
            c[i % c.length] = v;
          }
          return c;
        });
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(3, valid), net.jqwik.api.Tuple.of(2, special), net.jqwik.api.Tuple.of(5, mutated));
  }

  private static void decodeOrReject(Buffer body, int jsonLength) {
    assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
      try {
        InferRequest r = DECODER.decode("m", null, body, jsonLength);
        assertFalse(r.inputs().isEmpty());
        for (Tensor t : r.inputs()) {
          long n = t.elementCount();
          assertEquals(n, t.strings() != null ? t.strings().length : t.data().limit() / t.type().size(), t.name());
        }
      } catch (InferenceException e) {
        assertTrue(e.status() == 400 || e.status() == 413, e.status() + " " + e.getMessage());
        assertFalse(e.getMessage().isBlank());
      }
    });
  }

  private static byte[] insert(byte[] a, int at, byte[] what) {
    return splice(a, at, at, what);
  }

  private static byte[] splice(byte[] a, int from, int to, byte[] what) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(a.length + what.length);
    out.write(a, 0, from);
    out.writeBytes(what);
    out.write(a, to, a.length - to);
    return out.toByteArray();
  }
}
