package io.coedge.security;

import static io.coedge.api.grpc.v2.GRPCInferenceServiceGrpcClient.ModelInfer;
import static io.coedge.api.grpc.v2.GRPCInferenceServiceGrpcClient.ModelMetadata;
import static io.coedge.api.grpc.v2.GRPCInferenceServiceGrpcClient.RepositoryIndex;
import static io.coedge.api.grpc.v2.GRPCInferenceServiceGrpcClient.ServerLive;
import static io.coedge.security.AuthFixture.entry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.coedge.api.grpc.GrpcTestClient;
import io.coedge.api.grpc.v2.ModelInferRequest;
import io.coedge.api.grpc.v2.ModelMetadataRequest;
import io.coedge.api.grpc.v2.RepositoryIndexRequest;
import io.coedge.api.grpc.v2.ServerLiveRequest;
import io.vertx.grpc.common.GrpcStatus;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The gRPC port behind the same gate as REST: API keys and JWT from metadata, scopes, per-model keys, rate limits. */
@Timeout(60)
class GrpcAuthTest {

  static final String FULL = KeyHash.randomKey();
  static final String ONLY_ADD_ONE = KeyHash.randomKey();
  static final String OPS = KeyHash.randomKey();

  @TempDir
  static Path dir;

  static ModelInferRequest infer(String model) {
    return ModelInferRequest.newBuilder().setModelName(model).addInputs(ModelInferRequest.InferInputTensor
        .newBuilder().setName("x").setDatatype("FP32").addShape(1).addShape(4)).addRawInputContents(
        ByteString.copyFrom(new byte[16])).build();
  }

  @Test
  void credentialsComeFromMetadataAndScopesApplyAsOnRest() throws Exception {
    Path keys = AuthFixture.writeKeys(dir.resolve("keys.yaml"), entry("full", FULL, "infer", null),
        entry("only-add-one", ONLY_ADD_ONE, "infer", "add-one"), entry("ops", OPS, "admin", null));
    try (AuthFixture gw = new AuthFixture(Map.of("security.auth.mode", "keys", "security.auth.key-file",
        keys.toString()));
        GrpcTestClient grpc = new GrpcTestClient(gw.node.grpcPort())) {
      var none = grpc.call(ModelInfer, infer("add-one"));
      assertEquals(GrpcStatus.UNAUTHENTICATED, none.status(), none.message());
      assertEquals(GrpcStatus.OK, grpc.call(ModelInfer, infer("add-one"), "x-api-key", FULL).status());
      assertEquals(GrpcStatus.OK, grpc.call(ModelInfer, infer("add-one"), "authorization", "Bearer " + FULL)
          .status());
      assertEquals(GrpcStatus.UNAUTHENTICATED, grpc.call(ModelInfer, infer("add-one"), "x-api-key",
          KeyHash.randomKey()).status());
      var otherModel = grpc.call(ModelMetadata, ModelMetadataRequest.newBuilder().setName("scalar").build(),
          "x-api-key", ONLY_ADD_ONE);
      assertEquals(GrpcStatus.PERMISSION_DENIED, otherModel.status(), otherModel.message());
      assertEquals(GrpcStatus.PERMISSION_DENIED, grpc.call(RepositoryIndex, RepositoryIndexRequest
          .getDefaultInstance(), "x-api-key", FULL).status(), "the repository needs admin");
      assertEquals(GrpcStatus.OK, grpc.call(RepositoryIndex, RepositoryIndexRequest.getDefaultInstance(),
          "x-api-key", OPS).status());
      assertTrue(grpc.call(ServerLive, ServerLiveRequest.getDefaultInstance()).answer().getLive(),
          "health is open by default, as on REST");
    }
  }

  @Test
  void aRateLimitedCallerGetsResourceExhaustedWithARetryHint() throws Exception {
    try (AuthFixture gw = new AuthFixture(Map.of("security.rate-limit.rate", "0.1", "security.rate-limit.burst",
        "2"));
        GrpcTestClient grpc = new GrpcTestClient(gw.node.grpcPort())) {
      assertEquals(GrpcStatus.OK, grpc.call(ModelInfer, infer("add-one")).status());
      assertEquals(GrpcStatus.OK, grpc.call(ModelInfer, infer("add-one")).status());
      var limited = grpc.call(ModelInfer, infer("add-one"));
      assertEquals(GrpcStatus.RESOURCE_EXHAUSTED, limited.status());
      assertTrue(limited.message().contains("rate limit"), limited.message());
      assertTrue(Integer.parseInt(limited.trailers().get("retry-after")) >= 1, limited.trailers().toString());
      assertEquals(limited.trailers().get("retry-after") + "000", limited.trailers().get("grpc-retry-pushback-ms"));
    }
  }
}
