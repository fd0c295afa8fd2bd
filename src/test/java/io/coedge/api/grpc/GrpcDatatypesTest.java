package io.coedge.api.grpc;

import static io.coedge.api.grpc.v2.GRPCInferenceServiceGrpcClient.ModelInfer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.coedge.RunningNode;
import io.coedge.TestNodes;
import io.coedge.api.grpc.v2.ModelInferRequest;
import io.coedge.api.grpc.v2.ModelInferResponse;
import io.vertx.grpc.common.GrpcStatus;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * All 13 datatypes in raw_input_contents through a real ONNX identity graph: the ten ONNX Runtime Java can create
 * come back byte for byte in raw_output_contents; UINT16/32/64 are UNIMPLEMENTED, as REST answers them 501.
 */
@Timeout(60)
class GrpcDatatypesTest {

  @RegisterExtension
  static final GrpcNode GRPC = new GrpcNode(TestNodes.TEST_MODELS, Map.of());

  /** Four elements (shape [2,2]) of each type, little-endian; BYTES length-prefixed. */
  static Map<String, byte[]> values() {
    Map<String, byte[]> m = new LinkedHashMap<>();
    m.put("BOOL", new byte[] {1, 0, 1, 1});
    m.put("UINT8", new byte[] {0, 1, (byte) 128, (byte) 255});
    m.put("INT8", new byte[] {-128, -1, 0, 127});
    m.put("INT16", le(2).putShort((short) -32768).putShort((short) -2).putShort((short) 7).putShort((short) 32767)
        .array());
    m.put("INT32", le(4).putInt(Integer.MIN_VALUE).putInt(-3).putInt(9).putInt(Integer.MAX_VALUE).array());
    m.put("INT64", le(8).putLong(Long.MIN_VALUE).putLong(-4).putLong(11).putLong(Long.MAX_VALUE).array());
    m.put("FP16", le(2).putShort((short) 0x3C00).putShort((short) 0xC000).putShort((short) 0x3800)
        .putShort((short) 0x7BFF).array());
    m.put("FP32", le(4).putFloat(1.5f).putFloat(-2.25f).putFloat(3.0e10f).putFloat(0f).array());
    m.put("FP64", le(8).putDouble(1e-300).putDouble(-2.5).putDouble(Math.PI).putDouble(0).array());
    ByteBuffer bytes = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
    for (String s : List.of("camera-7", "", "héllo", "4")) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      bytes.putInt(b.length).put(b);
    }
    m.put("BYTES", java.util.Arrays.copyOf(bytes.array(), bytes.position()));
    return m;
  }

  private static ByteBuffer le(int size) {
    return ByteBuffer.allocate(4 * size).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static ModelInferRequest request(String model, Map<String, byte[]> inputs) {
    ModelInferRequest.Builder b = ModelInferRequest.newBuilder().setModelName(model);
    inputs.forEach((type, raw) -> b.addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("in_" + type)
        .setDatatype(type).addShape(2).addShape(2)).addRawInputContents(ByteString.copyFrom(raw)));
    return b.build();
  }

  @Test
  void everySupportedDatatypeRoundTripsByteForByte() {
    Map<String, byte[]> in = values();
    ModelInferResponse r = GRPC.grpc().call(ModelInfer, request("dtypes-supported", in)).answer();
    assertEquals(10, r.getOutputsCount());
    for (int i = 0; i < r.getOutputsCount(); i++) {
      var out = r.getOutputs(i);
      String type = out.getName().substring("out_".length());
      assertEquals(type, out.getDatatype());
      assertEquals(List.of(2L, 2L), out.getShapeList(), type);
      assertEquals(ByteString.copyFrom(in.get(type)), r.getRawOutputContents(i), type);
    }
  }

  @Test
  void unsignedWideInputsAreUnimplementedBecauseOnnxRuntimeJavaCannotCreateThem() {
    Map<String, byte[]> in = new LinkedHashMap<>(values());
    in.put("UINT16", new byte[8]);
    in.put("UINT32", new byte[16]);
    in.put("UINT64", new byte[32]);
    var r = GRPC.grpc().call(ModelInfer, request("dtypes", in));
    assertEquals(GrpcStatus.UNIMPLEMENTED, r.status(), r.message());
    assertTrue(r.message().contains("UINT"), r.message());
  }

  @Test
  void aBoolThatIsNeitherZeroNorOneAndATruncatedBytesTensorAreInvalid() {
    Map<String, byte[]> in = new LinkedHashMap<>(values());
    in.put("BOOL", new byte[] {1, 0, 2, 1});
    var bool = GRPC.grpc().call(ModelInfer, request("dtypes-supported", in));
    assertEquals(GrpcStatus.INVALID_ARGUMENT, bool.status());
    assertTrue(bool.message().contains("BOOL"), bool.message());
    in = new LinkedHashMap<>(values());
    in.put("BYTES", new byte[] {100, 0, 0, 0, 'a'});
    var bytes = GRPC.grpc().call(ModelInfer, request("dtypes-supported", in));
    assertEquals(GrpcStatus.INVALID_ARGUMENT, bytes.status());
    assertTrue(bytes.message().contains("in_BYTES"), bytes.message());
  }
}
