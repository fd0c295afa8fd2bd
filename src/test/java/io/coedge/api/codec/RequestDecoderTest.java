package io.coedge.api.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coedge.inference.DataType;
import io.coedge.inference.InferRequest;
import io.coedge.inference.InferenceException;
import io.coedge.inference.OffloadMode;
import io.coedge.inference.RequestedOutput;
import io.coedge.inference.Tensor;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

class RequestDecoderTest {

  private final RequestDecoder decoder = new RequestDecoder();

  private InferRequest decode(String json) {
    return decoder.decode("m", null, Buffer.buffer(json), -1);
  }

  private static byte[] bytesOf(Tensor t) {
    ByteBuffer b = t.data();
    assertEquals(0, b.position(), "buffer position");
    assertEquals(ByteOrder.LITTLE_ENDIAN, b.order());
    byte[] out = new byte[b.limit()];
    b.duplicate().get(out);
    return out;
  }

  private static void assertSample(Samples s, Tensor t) {
    assertEquals(s.type(), t.type());
    assertArrayEquals(Samples.SHAPE, t.shape());
    if (s.type() == DataType.BYTES) {
      assertEquals(s.strings(), java.util.Arrays.stream(t.strings())
          .map(b -> new String(b, StandardCharsets.UTF_8)).toList());
    } else {
      assertEquals(s.hex(), HexFormat.of().formatHex(bytesOf(t)));
    }
  }

  @Test
  void decodesTheSensorRequestIntoLittleEndianFloats() {
    InferRequest r = decoder.decode("sensor", "3", Buffer.buffer(
        "{\"inputs\":[{\"name\":\"features\",\"shape\":[1,8],\"datatype\":\"FP32\","
            + "\"data\":[0.5,1,-2,3.25,4e2,-0.0,1e-3,7]}]}"), -1);
    assertEquals("sensor", r.model());
    assertEquals("3", r.version());
    assertNull(r.id());
    assertEquals(List.of(), r.outputs());
    assertEquals(0, r.priority());
    assertEquals(0, r.timeoutUs());
    assertEquals(OffloadMode.AUTO, r.offload());
    assertFalse(r.binaryOutputs());
    Tensor t = r.inputs().get(0);
    assertEquals("features", t.name());
    assertArrayEquals(new long[] {1, 8}, t.shape());
    float[] got = new float[8];
    t.data().asFloatBuffer().get(got);
    assertArrayEquals(new float[] {0.5f, 1, -2, 3.25f, 400, -0.0f, 1e-3f, 7}, got);
    assertEquals(Float.floatToRawIntBits(-0.0f), Float.floatToRawIntBits(got[5]), "negative zero kept");
  }

  @ParameterizedTest
  @FieldSource("io.coedge.api.codec.Samples#ALL")
  void decodesEveryDatatypeFromFlatData(Samples s) {
    assertSample(s, decode("{\"inputs\":[" + s.input("x", s.flat()) + "]}").inputs().get(0));
  }

  @ParameterizedTest
  @FieldSource("io.coedge.api.codec.Samples#ALL")
  void decodesEveryDatatypeFromNestedData(Samples s) {
    assertSample(s, decode("{\"inputs\":[" + s.input("x", s.nested()) + "]}").inputs().get(0));
  }

  @ParameterizedTest
  @FieldSource("io.coedge.api.codec.Samples#ALL")
  void decodesDataThatComesBeforeDatatypeAndShape(Samples s) {
    String json = "{\"inputs\":[{\"data\":" + s.nested() + ",\"name\":\"x\",\"shape\":[2,2],\"datatype\":\""
        + s.type() + "\"}]}";
    Tensor t = decode(json).inputs().get(0);
    assertEquals("x", t.name());
    assertSample(s, t);
  }

  @ParameterizedTest
  @FieldSource("io.coedge.api.codec.Samples#ALL")
  void decodesEveryDatatypeFromTheBinarySection(Samples s) {
    byte[] bin = s.binary();
    String json = "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"" + s.type() + "\",\"shape\":[2,2],"
        + "\"parameters\":{\"binary_data_size\":" + bin.length + "}}]}";
    Tensor t = decoder.decode("m", null, Samples.body(json, bin), Samples.jsonLength(json)).inputs().get(0);
    assertSample(s, t);
  }

  @Test
  void takesBinaryInputsInInputOrderBetweenJsonInputs() {
    String json = "{\"inputs\":["
        + "{\"name\":\"a\",\"datatype\":\"INT16\",\"shape\":[2],\"parameters\":{\"binary_data_size\":4}},"
        + "{\"name\":\"j\",\"datatype\":\"INT8\",\"shape\":[1],\"data\":[7]},"
        + "{\"name\":\"b\",\"datatype\":\"UINT8\",\"shape\":[3],\"parameters\":{\"binary_data_size\":3}}]}";
    Buffer body = Samples.body(json, new byte[] {1, 0, 2, 0}, new byte[] {9, 8, 7});
    List<Tensor> in = decoder.decode("m", null, body, Samples.jsonLength(json)).inputs();
    assertEquals(List.of("a", "j", "b"), in.stream().map(Tensor::name).toList());
    assertEquals("01000200", HexFormat.of().formatHex(bytesOf(in.get(0))));
    assertEquals("07", HexFormat.of().formatHex(bytesOf(in.get(1))));
    assertEquals("090807", HexFormat.of().formatHex(bytesOf(in.get(2))));
  }

  @Test
  void binaryTensorsAreLittleEndianViewsOfTheBodyNotCopies() {
    String json = "{\"inputs\":[{\"name\":\"a\",\"datatype\":\"UINT8\",\"shape\":[2],"
        + "\"parameters\":{\"binary_data_size\":2}},{\"name\":\"b\",\"datatype\":\"INT16\",\"shape\":[1],"
        + "\"parameters\":{\"binary_data_size\":2}}]}";
    Buffer body = Samples.body(json, new byte[] {5, 6}, new byte[] {1, 2});
    List<Tensor> in = decoder.decode("m", null, body, Samples.jsonLength(json)).inputs();
    assertEquals(0, in.get(1).data().position());
    assertEquals(2, in.get(1).data().limit(), "each view spans its own bytes only");
    assertEquals(0x0201, in.get(1).data().getShort(0));
    body.setByte(body.length() - 3, (byte) 99); // the body is never written while its request lives; here it shows
    assertEquals(99, in.get(0).data().get(1), "no copy was made");
  }

  @Test
  void readsRequestParametersIdAndOutputs() {
    InferRequest r = decode("{\"id\":\"req-7\",\"parameters\":{\"priority\":2,\"timeout\":150000,"
        + "\"offload\":\"never\",\"binary_data_output\":true,\"unknown\":{\"deep\":[1,2]}},"
        + "\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1],\"data\":[1]}],"
        + "\"outputs\":[{\"name\":\"b\"},{\"name\":\"a\",\"parameters\":{\"binary_data\":false}},"
        + "{\"name\":\"c\",\"parameters\":{\"binary_data\":true,\"classification\":3}}]}");
    assertEquals("req-7", r.id());
    assertEquals(2, r.priority());
    assertEquals(150_000L, r.timeoutUs());
    assertEquals(OffloadMode.NEVER, r.offload());
    assertTrue(r.binaryOutputs());
    // binary_data_output applies to b, which said nothing; a said false
    assertEquals(List.of(new RequestedOutput("b", true), new RequestedOutput("a", false),
        new RequestedOutput("c", true, 3)), r.outputs());
  }

  @Test
  void appliesBinaryDataOutputEvenWhenItComesAfterTheOutputs() {
    InferRequest r = decode("{\"outputs\":[{\"name\":\"y\"}],"
        + "\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1],\"data\":[1]}],"
        + "\"parameters\":{\"binary_data_output\":true,\"offload\":\"PREFER\"}}");
    assertEquals(List.of(new RequestedOutput("y", true)), r.outputs());
    assertEquals(OffloadMode.PREFER, r.offload());
  }

  @Test
  void outputsDefaultToJsonWithoutBinaryDataOutput() {
    InferRequest r = decode("{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1],\"data\":[1]}],"
        + "\"outputs\":[{\"name\":\"y\"},{\"name\":\"z\",\"parameters\":{\"binary_data\":true}}]}");
    assertEquals(List.of(new RequestedOutput("y", false), new RequestedOutput("z", true)), r.outputs());
  }

  @Test
  void ignoresUnknownFieldsAtEveryLevel() {
    InferRequest r = decode("{\"extra\":[{\"a\":1}],\"inputs\":[{\"name\":\"x\",\"note\":{\"k\":[1,[2]]},"
        + "\"datatype\":\"INT32\",\"shape\":[2],\"data\":[1,2],\"parameters\":{\"other\":\"v\"}}],\"more\":null}");
    assertEquals(1, r.inputs().size());
  }

  @Test
  void acceptsZeroAndOneForBoolAndIntegralNumbersForIntegerTypes() {
    Tensor b = decode("{\"inputs\":[{\"name\":\"b\",\"datatype\":\"BOOL\",\"shape\":[3],\"data\":[0,1,true]}]}")
        .inputs().get(0);
    assertEquals("000101", HexFormat.of().formatHex(bytesOf(b)));
    Tensor i = decode("{\"inputs\":[{\"name\":\"i\",\"datatype\":\"INT32\",\"shape\":[3],\"data\":[2.0,1e2,-0.0]}]}")
        .inputs().get(0);
    assertEquals(List.of(2, 100, 0), List.of(i.data().getInt(0), i.data().getInt(4), i.data().getInt(8)));
    Tensor u = decode("{\"inputs\":[{\"name\":\"u\",\"datatype\":\"UINT64\",\"shape\":[1],"
        + "\"data\":[1.8446744073709550e19]}]}").inputs().get(0);
    assertEquals("18446744073709549568", Long.toUnsignedString(u.data().getLong(0)));
  }

  @Test
  void decodesFp16FromNumbersWithRounding() {
    Tensor t = decode("{\"inputs\":[{\"name\":\"h\",\"datatype\":\"FP16\",\"shape\":[3],\"data\":[0.1,6e-8,65519]}]}")
        .inputs().get(0);
    assertEquals((short) 0x2E66, t.data().getShort(0));
    assertEquals((short) 0x0001, t.data().getShort(2));
    assertEquals((short) 0x7BFF, t.data().getShort(4));
  }

  @Test
  void acceptsScalarsAndEmptyTensors() {
    InferRequest r = decode("{\"inputs\":[{\"name\":\"s\",\"datatype\":\"FP64\",\"shape\":[],\"data\":[2.5]},"
        + "{\"name\":\"e\",\"datatype\":\"FP32\",\"shape\":[0,3],\"data\":[]},"
        + "{\"name\":\"z\",\"datatype\":\"BYTES\",\"shape\":[4,0],\"data\":[[],[],[],[]]}]}");
    assertArrayEquals(new long[0], r.inputs().get(0).shape());
    assertEquals(2.5, r.inputs().get(0).data().getDouble(0));
    assertEquals(0, r.inputs().get(1).data().limit());
    assertEquals(0, r.inputs().get(2).strings().length);
  }

  @Test
  void readsBodiesThatStartInsideALargerBuffer() {
    String json = "{\"inputs\":[{\"data\":[[1,2],[3,4]],\"name\":\"x\",\"datatype\":\"INT8\",\"shape\":[2,2]},"
        + "{\"name\":\"y\",\"datatype\":\"UINT8\",\"shape\":[2],\"parameters\":{\"binary_data_size\":2}}]}";
    Buffer whole = Buffer.buffer("garbage{[").appendBuffer(Samples.body(json, new byte[] {7, 8})).appendString("tail");
    Buffer body = whole.slice(9, whole.length() - 4);
    InferRequest r = decoder.decode("m", null, body, Samples.jsonLength(json));
    assertEquals("01020304", HexFormat.of().formatHex(bytesOf(r.inputs().get(0))));
    assertEquals("0708", HexFormat.of().formatHex(bytesOf(r.inputs().get(1))));
  }

  @Test
  void readsBodiesHeldInDirectMemory() {
    byte[] json = "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"INT16\",\"shape\":[1],\"data\":[-2]}]}"
        .getBytes(StandardCharsets.UTF_8);
    Buffer body = BufferInternal.buffer(Unpooled.directBuffer(json.length).writeBytes(json));
    assertEquals("feff", HexFormat.of().formatHex(bytesOf(decoder.decode("m", null, body, -1).inputs().get(0))));
  }

  @Test
  void rejectsAShapeOverTheElementLimitBeforeAllocating() {
    RequestDecoder tiny = new RequestDecoder(new CodecLimits(4, 100, 1000, 4, 16, 10));
    InferenceException e = assertThrows(InferenceException.class, () -> tiny.decode("m", null, Buffer.buffer(
        "{\"inputs\":[{\"name\":\"big\",\"datatype\":\"FP64\",\"shape\":[1000000000,1000000000],\"data\":[1]}]}"),
        -1));
    assertInstanceOf(InferenceException.InvalidInput.class, e);
    assertTrue(e.getMessage().contains("input 'big'") && e.getMessage().contains("maxElementsPerTensor"),
        e.getMessage());
    // The default limits refuse it too, naming the same limit: 10^18 elements would need 8 EB.
    InferenceException byDefault = assertThrows(InferenceException.InvalidInput.class, () -> decode(
        "{\"inputs\":[{\"name\":\"big\",\"datatype\":\"FP64\",\"shape\":[1000000000,1000000000],\"data\":[1]}]}"));
    assertTrue(byDefault.getMessage().contains("maxElementsPerTensor"), byDefault.getMessage());
  }

  @Test
  void rejectsAShapeTheBodyCannotHoldBeforeAllocating() {
    // 16M FP32 elements are within the limits (64 MiB) but a 90-byte body cannot hold them.
    InferenceException e = assertThrows(InferenceException.class, () -> decode(
        "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[4096,4096],\"data\":[1,2,3]}]}"));
    assertTrue(e.getMessage().startsWith("input 'x': shape [4096,4096] needs 16777216 elements, data has fewer"),
        e.getMessage());
  }

  @Test
  void answers413ForStringsOverTheByteLimits() {
    RequestDecoder tiny = new RequestDecoder(new CodecLimits(4, 100, 20, 4, 16, 5));
    InferenceException longString = assertThrows(InferenceException.class, () -> tiny.decode("m", null,
        Buffer.buffer("{\"inputs\":[{\"name\":\"s\",\"datatype\":\"BYTES\",\"shape\":[1],\"data\":[\"123456\"]}]}"),
        -1));
    assertEquals(413, longString.status());
    assertTrue(longString.getMessage().contains("maxStringBytes"), longString.getMessage());
    InferenceException tooMuch = assertThrows(InferenceException.class, () -> tiny.decode("m", null,
        Buffer.buffer("{\"inputs\":[{\"name\":\"s\",\"datatype\":\"BYTES\",\"shape\":[4],"
            + "\"data\":[\"12345\",\"12345\",\"12345\",\"1\"]}]}"), -1));
    assertEquals(413, tooMuch.status());
    assertTrue(tooMuch.getMessage().contains("maxTensorBytes"), tooMuch.getMessage());
    String json = "{\"inputs\":[{\"name\":\"s\",\"datatype\":\"BYTES\",\"shape\":[1],"
        + "\"parameters\":{\"binary_data_size\":10}}]}";
    InferenceException binary = assertThrows(InferenceException.class, () -> tiny.decode("m", null,
        Samples.body(json, new byte[] {6, 0, 0, 0, 1, 2, 3, 4, 5, 6}), Samples.jsonLength(json)));
    assertEquals(413, binary.status());
    assertTrue(binary.getMessage().contains("maxStringBytes"), binary.getMessage());
  }

  @Test
  void limitsRejectNonPositiveValuesAndNestingBelowRank() {
    assertThrows(IllegalArgumentException.class, () -> new CodecLimits(0, 1, 1, 1, 16, 1));
    assertThrows(IllegalArgumentException.class, () -> new CodecLimits(1, -1, 1, 1, 16, 1));
    assertThrows(IllegalArgumentException.class, () -> new CodecLimits(1, 1, 0, 1, 16, 1));
    assertThrows(IllegalArgumentException.class, () -> new CodecLimits(1, 1, 1, 0, 16, 1));
    assertThrows(IllegalArgumentException.class, () -> new CodecLimits(1, 1, 1, 1, 0, 1));
    assertThrows(IllegalArgumentException.class, () -> new CodecLimits(1, 1, 1, 1, 16, 0));
    assertThrows(IllegalArgumentException.class, () -> new CodecLimits(1, 1, 1, 14, 16, 1));
    assertThrows(IllegalArgumentException.class, () -> new CodecLimits(1, 1, 1L << 40, 1, 16, 1));
    assertEquals(new CodecLimits(64, 16_777_216, 64L << 20, 8, 16, 1 << 20), CodecLimits.DEFAULTS);
  }

  @Test
  void acceptsTheDeepestNestingTheLimitsAllow() {
    // rank 8 nested data is 11 levels deep in the body, within maxNestingDepth 16
    InferRequest r = decode("{\"inputs\":[{\"name\":\"x\",\"datatype\":\"UINT8\",\"shape\":[1,1,1,1,1,1,1,2],"
        + "\"data\":[[[[[[[[3,4]]]]]]]]}]}");
    assertEquals("0304", HexFormat.of().formatHex(bytesOf(r.inputs().get(0))));
  }
}
