package io.coedge.api.grpc;

import static io.coedge.api.grpc.v2.GRPCInferenceServiceGrpcClient.ModelConfig;
import static io.coedge.api.grpc.v2.GRPCInferenceServiceGrpcClient.ModelInfer;
import static io.coedge.api.grpc.v2.GRPCInferenceServiceGrpcClient.ModelMetadata;
import static io.coedge.api.grpc.v2.GRPCInferenceServiceGrpcClient.ModelReady;
import static io.coedge.api.grpc.v2.GRPCInferenceServiceGrpcClient.ModelStatistics;
import static io.coedge.api.grpc.v2.GRPCInferenceServiceGrpcClient.ModelStreamInfer;
import static io.coedge.api.grpc.v2.GRPCInferenceServiceGrpcClient.RepositoryIndex;
import static io.coedge.api.grpc.v2.GRPCInferenceServiceGrpcClient.RepositoryModelLoad;
import static io.coedge.api.grpc.v2.GRPCInferenceServiceGrpcClient.RepositoryModelUnload;
import static io.coedge.api.grpc.v2.GRPCInferenceServiceGrpcClient.ServerLive;
import static io.coedge.api.grpc.v2.GRPCInferenceServiceGrpcClient.ServerMetadata;
import static io.coedge.api.grpc.v2.GRPCInferenceServiceGrpcClient.ServerReady;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coedge.Eventually;
import io.coedge.RunningNode;
import io.coedge.TestNodes;
import io.coedge.api.grpc.v2.InferTensorContents;
import io.coedge.api.grpc.v2.ModelConfigRequest;
import io.coedge.api.grpc.v2.ModelInferRequest;
import io.coedge.api.grpc.v2.ModelInferResponse;
import io.coedge.api.grpc.v2.ModelMetadataRequest;
import io.coedge.api.grpc.v2.ModelMetadataResponse;
import io.coedge.api.grpc.v2.ModelReadyRequest;
import io.coedge.api.grpc.v2.ModelStatisticsRequest;
import io.coedge.api.grpc.v2.ModelStreamInferResponse;
import io.coedge.api.grpc.v2.RepositoryIndexRequest;
import io.coedge.api.grpc.v2.RepositoryIndexResponse;
import io.coedge.api.grpc.v2.RepositoryModelLoadRequest;
import io.coedge.api.grpc.v2.RepositoryModelUnloadRequest;
import io.coedge.api.grpc.v2.ServerLiveRequest;
import io.coedge.api.grpc.v2.ServerMetadataRequest;
import io.coedge.api.grpc.v2.ServerReadyRequest;
import io.vertx.grpc.common.GrpcStatus;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every RPC of the gRPC service against a real node, real ONNX Runtime and a real gRPC client. */
@Timeout(120)
class GrpcApiTest {

  @RegisterExtension
  static final GrpcNode GRPC = new GrpcNode(TestNodes.TEST_MODELS, Map.of("inference.model-control", "explicit"));

  /** add-one's x [rows, 4] FP32 in raw_input_contents. */
  static ModelInferRequest addOne(String id, float... x) {
    ByteBuffer b = ByteBuffer.allocate(4 * x.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : x) {
      b.putFloat(v);
    }
    return ModelInferRequest.newBuilder().setModelName("add-one").setId(id)
        .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("x").setDatatype("FP32")
            .addShape(x.length / 4).addShape(4))
        .addRawInputContents(com.google.protobuf.ByteString.copyFrom(b.flip())).build();
  }

  static float[] floats(ModelInferResponse r, int output) {
    ByteBuffer b = r.getRawOutputContents(output).asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    float[] out = new float[b.remaining() / 4];
    for (int i = 0; i < out.length; i++) {
      out[i] = b.getFloat();
    }
    return out;
  }

  @Test
  void serverLiveReadyAndMetadataAnswer() {
    assertTrue(GRPC.grpc().call(ServerLive, ServerLiveRequest.getDefaultInstance()).answer().getLive());
    assertTrue(GRPC.grpc().call(ServerReady, ServerReadyRequest.getDefaultInstance()).answer().getReady());
    var meta = GRPC.grpc().call(ServerMetadata, ServerMetadataRequest.getDefaultInstance()).answer();
    assertEquals("coedge", meta.getName());
    assertTrue(meta.getExtensionsList().contains("model_repository"), meta.getExtensionsList().toString());
  }

  @Test
  void modelMetadataReadyAndConfigDescribeTheModel() {
    ModelMetadataResponse m = GRPC.grpc().call(ModelMetadata, ModelMetadataRequest.newBuilder().setName("add-one").build())
        .answer();
    assertEquals(List.of("1", "2"), m.getVersionsList());
    assertEquals("x", m.getInputs(0).getName());
    assertEquals("FP32", m.getInputs(0).getDatatype());
    assertEquals(List.of(-1L, 4L), m.getInputs(0).getShapeList());
    assertTrue(GRPC.grpc().call(ModelReady, ModelReadyRequest.newBuilder().setName("add-one").setVersion("1").build())
        .answer().getReady());
    var config = GRPC.grpc().call(ModelConfig, ModelConfigRequest.newBuilder().setName("add-one").build()).answer()
        .getConfig();
    assertEquals(16, config.getMaxBatchSize());
    assertEquals(2000, config.getDynamicBatching().getMaxQueueDelayMicroseconds());
    assertEquals(List.of(4L), config.getInput(0).getDimsList(), "the batch dimension is left out, as in Triton");
    var unknown = GRPC.grpc().call(ModelMetadata, ModelMetadataRequest.newBuilder().setName("nope").build());
    assertEquals(GrpcStatus.NOT_FOUND, unknown.status());
    assertTrue(unknown.message().contains("nope"), unknown.message());
    assertEquals(GrpcStatus.NOT_FOUND, GRPC.grpc().call(ModelReady, ModelReadyRequest.newBuilder().setName("add-one")
        .setVersion("9").build()).status());
  }

  @Test
  void modelInferAnswersRawOutputsAndCountsInStatistics() {
    ModelInferResponse r = GRPC.grpc().call(ModelInfer, addOne("a-1", 1, 2, 3, 4, 10, 20, 30, 40)).answer();
    assertEquals("a-1", r.getId());
    assertEquals("2", r.getModelVersion(), "the latest version (adds 2)");
    assertEquals("y", r.getOutputs(0).getName());
    assertEquals(List.of(2L, 4L), r.getOutputs(0).getShapeList());
    assertEquals(List.of(3f, 4f, 5f, 6f, 12f, 22f, 32f, 42f), boxed(floats(r, 0)));
    var stats = GRPC.grpc().call(ModelStatistics, ModelStatisticsRequest.newBuilder().setName("add-one").setVersion("2")
        .build()).answer();
    assertTrue(stats.getModelStats(0).getInferenceCount() >= 2, stats.toString());
    assertTrue(stats.getModelStats(0).getInferenceStats().getSuccess().getNs() > 0);
  }

  @Test
  void typedContentsAndAPinnedVersionAreServedToo() {
    ModelInferRequest typed = ModelInferRequest.newBuilder().setModelName("add-one").setModelVersion("1")
        .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("x").setDatatype("FP32").addShape(1)
            .addShape(4).setContents(InferTensorContents.newBuilder().addAllFp32Contents(List.of(1f, 2f, 3f, 4f))))
        .build();
    ModelInferResponse r = GRPC.grpc().call(ModelInfer, typed).answer();
    assertEquals("1", r.getModelVersion());
    assertEquals(List.of(2f, 3f, 4f, 5f), boxed(floats(r, 0)));
  }

  @Test
  void badRequestsGetInvalidArgumentNamingTheProblem() {
    ModelInferRequest wrongCount = addOne("w", 1, 2, 3, 4).toBuilder().setInputs(0, ModelInferRequest
        .InferInputTensor.newBuilder().setName("x").setDatatype("FP32").addShape(2).addShape(4)).build();
    var r = GRPC.grpc().call(ModelInfer, wrongCount);
    assertEquals(GrpcStatus.INVALID_ARGUMENT, r.status());
    assertTrue(r.message().contains("32"), r.message());
    var unknownInput = GRPC.grpc().call(ModelInfer, addOne("u", 1, 2, 3, 4).toBuilder().setInputs(0, ModelInferRequest
        .InferInputTensor.newBuilder().setName("nope").setDatatype("FP32").addShape(1).addShape(4)).build());
    assertEquals(GrpcStatus.INVALID_ARGUMENT, unknownInput.status());
    assertTrue(unknownInput.message().contains("nope"), unknownInput.message());
    assertEquals(GrpcStatus.NOT_FOUND, GRPC.grpc().call(ModelInfer, addOne("n", 1, 2, 3, 4).toBuilder()
        .setModelName("missing").build()).status());
  }

  @Test
  void sixtyFourRequestsInFlightOnOneStreamAreAnsweredAndMatchedById() {
    List<ModelInferRequest> requests = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      requests.add(addOne("r" + i, i, i + 1, i + 2, i + 3));
    }
    requests.add(addOne("bad", 1, 2, 3, 4).toBuilder().setModelName("missing").build());
    GrpcTestClient.Outcome<ModelStreamInferResponse> out = Eventually.await(GRPC.grpc().stream(ModelStreamInfer, requests,
        0));
    assertEquals(GrpcStatus.OK, out.status(), out.message());
    assertEquals(65, out.answers().size());
    Map<String, ModelStreamInferResponse> byId = new HashMap<>();
    out.answers().forEach(a -> byId.put(a.getInferResponse().getId(), a));
    for (int i = 0; i < 64; i++) {
      ModelStreamInferResponse a = byId.get("r" + i);
      assertEquals("", a.getErrorMessage(), "r" + i);
      assertEquals(List.of(i + 2f, i + 3f, i + 4f, i + 5f), boxed(floats(a.getInferResponse(), 0)), "r" + i);
    }
    assertTrue(byId.get("bad").getErrorMessage().contains("missing"), byId.get("bad").toString());
  }

  @Test
  void repositoryIndexUnloadAndLoadDriveTheLifecycle() {
    assertEquals("READY", state("scalar"));
    GRPC.grpc().call(RepositoryModelUnload, RepositoryModelUnloadRequest.newBuilder().setModelName("scalar").build())
        .answer();
    assertEquals("UNAVAILABLE", state("scalar"));
    assertFalse(GRPC.grpc().call(RepositoryIndex, RepositoryIndexRequest.newBuilder().setReady(true).build()).answer()
        .getModelsList().stream().anyMatch(m -> m.getName().equals("scalar")));
    GRPC.grpc().call(RepositoryModelLoad, RepositoryModelLoadRequest.newBuilder().setModelName("scalar").build()).answer();
    assertEquals("READY", state("scalar"));
    assertEquals(GrpcStatus.INVALID_ARGUMENT, GRPC.grpc().call(RepositoryModelLoad, RepositoryModelLoadRequest.newBuilder()
        .setModelName("scalar").putParameters("config", io.coedge.api.grpc.v2.ModelRepositoryParameter.newBuilder()
            .setBoolParam(true).build()).build()).status());
  }

  private static String state(String model) {
    RepositoryIndexResponse idx = GRPC.grpc().call(RepositoryIndex, RepositoryIndexRequest.getDefaultInstance()).answer();
    return idx.getModelsList().stream().filter(m -> m.getName().equals(model)).reduce((a, b) -> b).orElseThrow()
        .getState();
  }

  static List<Float> boxed(float[] a) {
    List<Float> out = new ArrayList<>();
    for (float f : a) {
      out.add(f);
    }
    return out;
  }
}
