package io.coedge.api.grpc;

import static io.coedge.api.grpc.v2.GRPCInferenceServiceGrpcClient.ModelInfer;
import static io.coedge.api.grpc.v2.GRPCInferenceServiceGrpcClient.ModelStatistics;
import static io.coedge.api.grpc.v2.GRPCInferenceServiceGrpcClient.ModelStreamInfer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coedge.Eventually;
import io.coedge.Gateway;
import io.coedge.TestNodes;
import io.coedge.api.grpc.v2.InferParameter;
import io.coedge.api.grpc.v2.ModelInferRequest;
import io.coedge.api.grpc.v2.ModelInferResponse;
import io.coedge.api.grpc.v2.ModelStatisticsRequest;
import io.coedge.api.grpc.v2.ModelStreamInferResponse;
import io.coedge.observability.OtlpReceiver;
import io.coedge.observability.OtlpReceiver.Received;
import io.coedge.observability.RequestTrace;
import io.coedge.routing.OffloadFixture;
import io.vertx.grpc.common.GrpcStatus;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * gRPC against an edge that offloads to a cloud node (real Hazelcast on loopback): an offloaded {@code ModelInfer}
 * or stream request travels as the REST binary body (see {@link RestBody}), is served by the cloud and answers
 * exactly what the edge computes itself; a deadline that cannot be met ends the call with a deadline status. Both
 * nodes export to an in-test OTLP receiver and sample nothing by themselves: a caller's sampled {@code traceparent}
 * metadata makes one trace of the gRPC request on the edge and its offload on the cloud.
 */
@Timeout(180)
class GrpcOffloadIT {

  static final String MODEL = OffloadFixture.MODEL;

  static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  static final String CALLER = "00f067aa0ba902b7";

  static OtlpReceiver receiver;
  static Gateway edge;
  static Gateway cloud;
  static GrpcTestClient toEdge;
  static GrpcTestClient toCloud;

  @BeforeAll
  static void start() {
    receiver = new OtlpReceiver();
    Gateway[] nodes = OffloadFixture.edgeAndCloud("grpc-offload-it", Map.of("observability.otlp-endpoint",
        receiver.url(), "observability.trace-sampling", "0"));
    edge = nodes[0];
    cloud = nodes[1];
    toEdge = new GrpcTestClient(edge.grpcPort());
    toCloud = new GrpcTestClient(cloud.grpcPort());
  }

  @AfterAll
  static void stop() throws Exception {
    for (GrpcTestClient c : new GrpcTestClient[] {toEdge, toCloud}) {
      if (c != null) {
        c.close();
      }
    }
    TestNodes.stop(edge);
    TestNodes.stop(cloud);
    if (receiver != null) {
      receiver.close();
    }
  }

  /** One row of {@link OffloadFixture#CONFIDENT} in raw_input_contents, with {@code offload} and a timeout (µs). */
  static ModelInferRequest request(String id, String offload, long timeoutUs) {
    ByteBuffer b = ByteBuffer.allocate(4 * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (float f : OffloadFixture.CONFIDENT) {
      b.putFloat(f);
    }
    return ModelInferRequest.newBuilder().setModelName(MODEL).setId(id)
        .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("features").setDatatype("FP32")
            .addShape(1).addShape(8))
        .addRawInputContents(com.google.protobuf.ByteString.copyFrom(b.flip()))
        .putParameters("offload", InferParameter.newBuilder().setStringParam(offload).build())
        .putParameters("timeout", InferParameter.newBuilder().setInt64Param(timeoutUs).build()).build();
  }

  /** Requests the cloud node has served for {@link #MODEL}, from its own ModelStatistics. */
  static long servedByCloud() {
    return toCloud.call(ModelStatistics, ModelStatisticsRequest.newBuilder().setName(MODEL).build()).answer()
        .getModelStats(0).getInferenceStats().getSuccess().getCount();
  }

  /** The edge's own answer (offload never), the one an offloaded request must match. */
  static ModelInferResponse local(String id) {
    return toEdge.call(ModelInfer, request(id, "never", 0)).answer();
  }

  @Test
  void anOffloadedModelInferIsServedByTheCloudWithTheLocalAnswer() {
    long before = servedByCloud();
    // A generous deadline: the first offload opens a connection and warms the cloud's session.
    ModelInferResponse remote = toEdge.call(ModelInfer, request("r1", "prefer", 5_000_000)).answer();
    assertEquals(before + 1, servedByCloud(), "the cloud node served the request");
    ModelInferResponse here = local("r1");
    assertEquals(here, remote, "offloaded and local answers are the same message");
    assertTrue(remote.getRawOutputContentsCount() > 0, remote.toString());
  }

  @Test
  void offloadedStreamRequestsAreServedByTheCloud() {
    long before = servedByCloud();
    var out = Eventually.await(toEdge.stream(ModelStreamInfer,
        List.of(request("s1", "prefer", 5_000_000), request("s2", "prefer", 5_000_000)), 0));
    assertEquals(GrpcStatus.OK, out.status(), out.message());
    assertEquals(2, out.answers().size());
    assertEquals(before + 2, servedByCloud(), "the cloud node served both");
    for (ModelStreamInferResponse a : out.answers()) {
      assertEquals("", a.getErrorMessage());
      assertEquals(local(a.getInferResponse().getId()), a.getInferResponse());
    }
    assertEquals(Set.of("s1", "s2"), Set.of(out.answers().get(0).getInferResponse().getId(),
        out.answers().get(1).getInferResponse().getId()));
  }

  @Test
  void aDeadlineTooShortToMeetEndsWithADeadlineStatus() {
    // 1 ns: no machine answers in time (1 ms did, on a quiet one)
    var out = toEdge.call(ModelInfer, request("d1", "prefer", 0), "grpc-timeout", "1n");
    assertTrue(Set.of(GrpcStatus.DEADLINE_EXCEEDED, GrpcStatus.UNAVAILABLE).contains(out.status()),
        out.status() + ": " + out.message());
  }

  @Test
  void aSampledTraceparentMakesOneTraceOfTheGrpcRequestOnTheEdgeAndTheCloud() {
    var traced = toEdge.call(ModelInfer, request("t1", "prefer", 5_000_000), "traceparent",
        "00-" + TRACE + "-" + CALLER + "-01");
    traced.answer();
    assertEquals(TRACE, traced.trailers().get(RequestTrace.TRACE_ID_HEADER), "the answer's metadata names the trace");
    Received edgeRequest = receiver.await(TRACE, "edge", "infer");
    Received offload = receiver.await(TRACE, "edge", "offload");
    Received cloudRequest = receiver.await(TRACE, "cloud-0", "infer");
    assertEquals(CALLER, edgeRequest.parentSpanId(), "the edge's span is a child of the gRPC caller's");
    assertEquals(edgeRequest.spanId(), offload.parentSpanId(), "offload is a stage of the gRPC request");
    assertEquals(offload.spanId(), cloudRequest.parentSpanId(), "the cloud's span is a child of the offload");
    assertEquals("offload", edgeRequest.attributes().get("coedge.route"));
    assertEquals("cloud-0", edgeRequest.attributes().get("coedge.served_by"));
    for (String stage : List.of("decode", "encode")) {
      assertEquals(edgeRequest.spanId(), receiver.await(TRACE, "edge", stage).parentSpanId(), stage);
    }
  }
}
