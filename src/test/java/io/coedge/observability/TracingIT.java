package io.coedge.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coedge.Gateway;
import io.coedge.Http;
import io.coedge.TestNodes;
import io.coedge.observability.OtlpReceiver.Received;
import io.coedge.routing.OffloadFixture;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An edge that offloads to a cloud node, both clustered over real Hazelcast members and exporting to one in-test
 * OTLP receiver: one trace covers both nodes, the cloud's request span a child of the edge's offload span. The
 * nodes sample nothing by themselves (ratio 0), so only a caller's sampled {@code traceparent} makes them trace:
 * the edge because its caller said so, the cloud because the edge's forwarded call said so.
 */
@Timeout(180)
class TracingIT {

  static final String MODEL = OffloadFixture.MODEL;
  static final String TRACE = "5b8aa5a2d2c872e8321cf37308d69df2";
  static final String CALLER = "051581bf3cb55c13";

  static OtlpReceiver receiver;
  static Gateway cloud;
  static Gateway edge;
  static Http http;

  @BeforeAll
  static void start() throws Exception {
    receiver = new OtlpReceiver();
    Gateway[] nodes = OffloadFixture.edgeAndCloud("tracing-it", Map.of("observability.otlp-endpoint",
        receiver.url(), "observability.trace-sampling", "0"));
    edge = nodes[0];
    cloud = nodes[1];
    http = new Http(edge.port());
  }

  @AfterAll
  static void stop() throws Exception {
    if (http != null) {
      http.close();
    }
    TestNodes.stop(edge);
    TestNodes.stop(cloud);
    if (receiver != null) {
      receiver.close();
    }
  }

  static HttpResponse<Buffer> offloaded(String traceparent) {
    MultiMap h = OffloadFixture.json();
    if (traceparent != null) {
      h.add("traceparent", traceparent);
    }
    // A generous deadline: the first offload opens a connection and warms the cloud's session.
    HttpResponse<Buffer> r = http.post(OffloadFixture.path(MODEL),
        OffloadFixture.body(OffloadFixture.CONFIDENT, "prefer", 5_000_000), h);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    assertEquals("offload", r.getHeader("coedge-route"), "the request was offloaded");
    return r;
  }

  @Test
  void oneTraceCoversTheEdgeAndTheCloudWithTheRightParents() {
    HttpResponse<Buffer> r = offloaded("00-" + TRACE + "-" + CALLER + "-01");
    assertEquals(TRACE, r.getHeader(RequestTrace.TRACE_ID_HEADER));
    Received edgeRequest = receiver.await(TRACE, "edge", "infer");
    Received offload = receiver.await(TRACE, "edge", "offload");
    Received cloudRequest = receiver.await(TRACE, "cloud-0", "infer");
    Received cloudCompute = receiver.await(TRACE, "cloud-0", "compute");
    assertEquals(CALLER, edgeRequest.parentSpanId(), "the edge's span is a child of the caller's");
    assertEquals(edgeRequest.spanId(), offload.parentSpanId(), "offload is a stage of the edge's request");
    assertEquals("SPAN_KIND_CLIENT", offload.kind());
    assertEquals(offload.spanId(), cloudRequest.parentSpanId(), "the cloud's span is a child of the offload");
    assertEquals(cloudRequest.spanId(), cloudCompute.parentSpanId());
    assertEquals("offload", edgeRequest.attributes().get("coedge.route"));
    assertEquals("cloud-0", edgeRequest.attributes().get("coedge.served_by"));
    Set<String> edgeStages = stages("edge", edgeRequest);
    Set<String> cloudStages = stages("cloud-0", cloudRequest);
    assertTrue(edgeStages.containsAll(List.of("decode", "admission", "offload")), edgeStages.toString());
    assertTrue(cloudStages.containsAll(List.of("decode", "admission", "queue", "compute", "encode")),
        cloudStages.toString());
    assertTrue(offload.startNs() <= offload.endNs() && edgeRequest.startNs() <= offload.startNs()
        && offload.endNs() <= edgeRequest.endNs(), "the offload lies within the edge's request");
  }

  /** The stage spans of {@code node} directly under {@code request}, once its last one (decode) arrived. */
  private static Set<String> stages(String node, Received request) {
    receiver.await(request.traceId(), node, "decode");
    return receiver.trace(request.traceId()).stream()
        .filter(s -> s.node().equals(node) && s.parentSpanId().equals(request.spanId()))
        .map(Received::name).collect(Collectors.toSet());
  }

  @Test
  void atSamplingZeroARequestWithoutTraceparentExportsNothingFromEitherNode() {
    HttpResponse<Buffer> untraced = offloaded(null);
    assertNull(untraced.getHeader(RequestTrace.TRACE_ID_HEADER));
    String marker = "e3b0c44298fc1c149afbf4c8996fb924";
    offloaded("00-" + marker + "-" + CALLER + "-01");
    receiver.await(marker, "cloud-0", "encode"); // everything sent before this marker has been exported too
    receiver.await(marker, "edge", "infer");
    Set<String> traces = receiver.spans().stream().map(Received::traceId).collect(Collectors.toSet());
    assertTrue(Set.of(TRACE, marker).containsAll(traces), "only the callers' traces were exported: " + traces);
  }
}
