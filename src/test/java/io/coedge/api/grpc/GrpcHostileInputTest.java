package io.coedge.api.grpc;

import static io.coedge.api.grpc.v2.GRPCInferenceServiceGrpcClient.ModelInfer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coedge.Eventually;
import io.coedge.RunningNode;
import io.coedge.TestNodes;
import io.coedge.api.grpc.v2.ModelInferRequest;
import io.coedge.api.grpc.v2.ModelStreamInferResponse;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.WebClient;
import io.vertx.grpc.client.GrpcClientRequest;
import io.vertx.grpc.common.GrpcStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Hostile input on the gRPC port: a clear status or a closed stream, nothing left open afterwards (the
 * {@code coedge_grpc_open_streams} gauge back to 0) and the node still ready.
 */
@Timeout(120)
class GrpcHostileInputTest {

  @RegisterExtension
  static final GrpcNode GRPC = new GrpcNode(TestNodes.TEST_MODELS, Map.of("http.max-body-bytes", "65536"));

  static double openStreams() {
    return openStreams(GRPC.node());
  }

  static double openStreams(RunningNode node) {
    return node.http().get("/metrics").bodyAsString().lines().filter(l -> l.startsWith("coedge_grpc_open_streams "))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.indexOf(' ') + 1))).findFirst().orElse(Double.NaN);
  }

  static void nothingLeftOpenAndStillServing() {
    nothingLeftOpenAndStillServing(GRPC.node(), GRPC.grpc());
  }

  static void nothingLeftOpenAndStillServing(RunningNode node, GrpcTestClient client) {
    Eventually.within(60_000, "open gRPC streams back to 0", () -> openStreams(node) == 0);
    assertEquals(200, node.http().get("/v2/health/ready").statusCode());
    assertEquals(GrpcStatus.OK, client.call(ModelInfer, GrpcApiTest.addOne("after", 1, 2, 3, 4)).status());
  }

  @Test
  void malformedProtobufIsInvalidArgument() {
    // field 1 (model_name), length-delimited, declaring far more bytes than follow
    Buffer garbage = Buffer.buffer(new byte[] {0x0A, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F, 'a'});
    var r = Eventually.await(GRPC.grpc().raw("inference.GRPCInferenceService/ModelInfer", garbage));
    assertEquals(GrpcStatus.INVALID_ARGUMENT, r.status(), r.message());
    assertTrue(r.message().contains("malformed protobuf"), r.message());
    nothingLeftOpenAndStillServing();
  }

  @Test
  void aMessagePastTheSizeLimitIsResourceExhausted() {
    var r = GRPC.grpc().call(ModelInfer, GrpcApiTest.addOne("big", new float[20_000]));
    assertEquals(GrpcStatus.RESOURCE_EXHAUSTED, r.status(), r.message());
    assertTrue(r.message().contains("http.max-body-bytes"), r.message());
    nothingLeftOpenAndStillServing();
  }

  @Test
  void anythingButGrpcOnTheGrpcPortIs415WithAJsonError() {
    WebClient web = WebClient.create(GRPC.grpc().vertx());
    var r = Eventually.await(web.post(GRPC.node().gateway().grpcPort(), "127.0.0.1", "/v2/models/add-one/infer")
        .putHeader("content-type", "application/json").sendBuffer(Buffer.buffer("{}")));
    assertEquals(415, r.statusCode());
    assertTrue(r.bodyAsJsonObject().getString("error").contains("gRPC port"), r.bodyAsString());
    web.close();
  }

  @Test
  void thousandsOfAbandonedStreamsAreAllClosedWhenTheirConnectionsGo() {
    Vertx vertx = Vertx.vertx();
    var http = vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
        .setHttp2ClearTextUpgrade(false), new PoolOptions().setHttp2MaxSize(25));
    GrpcTestClient abandoner = new GrpcTestClient(GRPC.node().gateway().grpcPort(), vertx, http);
    List<Future<GrpcClientRequest<ModelInferRequest, ModelStreamInferResponse>>> opened = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      opened.add(abandoner.openStream(GrpcApiTest.addOne("s" + i, i, i, i, i)));
    }
    Eventually.await(Future.all(opened));
    Eventually.within(60_000, "2000 streams open on the node", () -> openStreams() >= 2000);
    abandoner.close();
    nothingLeftOpenAndStillServing();
  }
}
