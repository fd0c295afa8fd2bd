package io.coedge.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coedge.Http;
import io.coedge.RunningNode;
import io.coedge.TestNodes;
import io.coedge.observability.OtlpReceiver.Received;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** One node exporting to an in-test OTLP receiver: the spans of a request, W3C context in, the trace settings. */
@Timeout(120)
class TracingTest {

  static final String INFER = "/v2/models/add-one/versions/1/infer";
  static final JsonObject BODY = new JsonObject().put("inputs", new JsonArray().add(new JsonObject()
      .put("name", "x").put("shape", new JsonArray().add(1).add(4)).put("datatype", "FP32")
      .put("data", new JsonArray().add(1).add(2).add(3).add(4))));
  static final String TRACE = "0af7651916cd43dd8448eb211c80319c";
  static final String PARENT = "b7ad6b7169203331";

  static final OtlpReceiver RECEIVER = new OtlpReceiver();
  @RegisterExtension
  static final RunningNode NODE = new RunningNode(TestNodes.TEST_MODELS, Map.of(
      "observability.otlp-endpoint", RECEIVER.url(), "observability.trace-sampling", "1"));

  @AfterAll
  static void stopReceiver() {
    RECEIVER.close();
  }

  @AfterEach
  void restoreSettings() {
    JsonObject reset = new JsonObject().putNull("trace_level").putNull("trace_rate").putNull("trace_count");
    assertEquals(200, NODE.http().post("/v2/trace/setting", reset).statusCode());
    assertEquals(200, NODE.http().post("/v2/models/add-one/trace/setting", reset).statusCode());
  }

  static HttpResponse<Buffer> infer(String traceparent) {
    MultiMap h = MultiMap.caseInsensitiveMultiMap().add("content-type", "application/json");
    if (traceparent != null) {
      h.add("traceparent", traceparent);
    }
    HttpResponse<Buffer> r = NODE.http().post(INFER, BODY.toBuffer(), h);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    return r;
  }

  @Test
  void aTracedRequestHasOneSpanPerStageUnderTheCallersSpan() {
    HttpResponse<Buffer> r = infer("00-" + TRACE + "-" + PARENT + "-01");
    assertEquals(TRACE, r.getHeader(RequestTrace.TRACE_ID_HEADER));
    Received encode = RECEIVER.await(TRACE, "test-node", "encode");
    Received root = RECEIVER.await(TRACE, "test-node", "infer");
    assertEquals(PARENT, root.parentSpanId(), "the request's span is a child of the caller's");
    assertEquals("SPAN_KIND_SERVER", root.kind());
    assertEquals("local", root.attributes().get("coedge.route"));
    assertEquals("add-one", root.attributes().get("coedge.model"));
    Map<String, Received> byName = RECEIVER.trace(TRACE).stream()
        .collect(Collectors.toMap(Received::name, s -> s, (a, b) -> a));
    for (String stage : List.of("decode", "admission", "queue", "compute", "encode")) {
      Received s = byName.get(stage);
      assertEquals(root.spanId(), s.parentSpanId(), stage + " hangs under the request's span");
      assertTrue(s.startNs() >= root.startNs() && s.endNs() <= root.endNs() && s.startNs() <= s.endNs(),
          stage + " lies within the request: " + s + " in " + root);
    }
    Received compute = byName.get("compute");
    for (String step : List.of("compute_input", "compute_infer", "compute_output")) {
      assertEquals(compute.spanId(), byName.get(step).parentSpanId(), step + " is a step of compute");
    }
    assertTrue(byName.get("decode").endNs() <= byName.get("admission").startNs(), "decode, then admission");
    assertTrue(byName.get("admission").endNs() <= byName.get("queue").startNs(), "admission, then the queue");
    assertTrue(byName.get("queue").endNs() <= compute.startNs(), "the queue, then compute");
    assertTrue(compute.endNs() <= encode.startNs(), "compute, then encode");
  }

  @Test
  void aGarbageTraceparentStartsANewTraceInsteadOfFailing() {
    for (String garbage : List.of("garbage", "00-" + TRACE + "-" + PARENT, "00-00000000000000000000000000000000-"
        + PARENT + "-01", "ff-" + TRACE + "-" + PARENT + "-01-", "00-" + TRACE.toUpperCase() + "-" + PARENT + "-01")) {
      String id = infer(garbage).getHeader(RequestTrace.TRACE_ID_HEADER);
      assertTrue(id != null && id.matches("[0-9a-f]{32}") && !id.equals(TRACE), garbage + " -> " + id);
      assertEquals("", RECEIVER.await(id, "test-node", "infer").parentSpanId(), "a new root for " + garbage);
    }
  }

  @Test
  void aCallerThatSaysNotSampledIsNotTracedAndNothingOfItIsExported() {
    String unsampled = "4bf92f3577b34da6a3ce929d0e0e4736";
    assertNull(infer("00-" + unsampled + "-" + PARENT + "-00").getHeader(RequestTrace.TRACE_ID_HEADER));
    String next = infer(null).getHeader(RequestTrace.TRACE_ID_HEADER);
    RECEIVER.await(next, "test-node", "encode"); // exported after the unsampled one
    assertEquals(List.of(), RECEIVER.trace(unsampled));
  }

  @Test
  void levelOffStopsTracingAndACountEndsItAfterThatManyTraces() {
    JsonObject off = NODE.http().post("/v2/trace/setting", new JsonObject()
        .put("trace_level", new JsonArray().add("OFF"))).bodyAsJsonObject();
    assertEquals(new JsonArray().add("OFF"), off.getJsonArray("trace_level"));
    assertNull(infer(null).getHeader(RequestTrace.TRACE_ID_HEADER));
    assertNull(infer("00-" + TRACE + "-" + PARENT + "-01").getHeader(RequestTrace.TRACE_ID_HEADER),
        "OFF outranks a sampled parent");
    JsonObject two = NODE.http().post("/v2/trace/setting", new JsonObject()
        .put("trace_level", new JsonArray().add("TIMESTAMPS")).put("trace_count", "2")).bodyAsJsonObject();
    assertEquals("2", two.getString("trace_count"));
    assertNotEquals(null, infer(null).getHeader(RequestTrace.TRACE_ID_HEADER));
    assertNotEquals(null, infer(null).getHeader(RequestTrace.TRACE_ID_HEADER));
    assertNull(infer(null).getHeader(RequestTrace.TRACE_ID_HEADER), "the count is used up");
    assertEquals("0", NODE.http().get("/v2/trace/setting").bodyAsJsonObject().getString("trace_count"));
  }

  @Test
  void aModelsOwnSettingOverridesTheGlobalOneUntilCleared() {
    JsonObject model = NODE.http().post("/v2/models/add-one/trace/setting", new JsonObject()
        .put("trace_level", new JsonArray().add("OFF")).put("trace_rate", 7)).bodyAsJsonObject();
    assertEquals(new JsonArray().add("OFF"), model.getJsonArray("trace_level"));
    assertEquals("7", model.getString("trace_rate"));
    JsonObject global = NODE.http().get("/v2/trace/setting").bodyAsJsonObject();
    assertEquals(new JsonArray().add("TIMESTAMPS"), global.getJsonArray("trace_level"));
    assertEquals("1", global.getString("trace_rate"));
    assertNull(infer(null).getHeader(RequestTrace.TRACE_ID_HEADER));
    NODE.http().post("/v2/models/add-one/trace/setting", new JsonObject().putNull("trace_level")
        .putNull("trace_rate"));
    assertNotEquals(null, infer(null).getHeader(RequestTrace.TRACE_ID_HEADER));
    assertEquals(404, NODE.http().get("/v2/models/no-such-model/trace/setting").statusCode());
  }

  @Test
  void badSettingsAre400sNamingTheField() {
    Map<String, JsonObject> bad = Map.of(
        "trace_rate", new JsonObject().put("trace_rate", "-1"),
        "trace_count", new JsonObject().put("trace_count", "-2"),
        "trace_level", new JsonObject().put("trace_level", new JsonArray().add("TENSORS")),
        "log_frequency", new JsonObject().put("log_frequency", "10"),
        "trace_file", new JsonObject().put("trace_file", "/tmp/trace.json"),
        "trace_mode", new JsonObject().put("trace_mode", "triton"),
        "trace_sample", new JsonObject().put("trace_sample", 3));
    Set<String> fields = bad.keySet();
    for (String field : fields) {
      HttpResponse<Buffer> r = NODE.http().post("/v2/trace/setting", bad.get(field));
      assertEquals(400, r.statusCode(), field);
      assertTrue(r.bodyAsJsonObject().getString("error").contains(field), r.bodyAsString());
    }
    assertEquals(400, NODE.http().post("/v2/trace/setting", new JsonObject().put("trace_rate", "ten"))
        .statusCode());
    assertEquals("1", NODE.http().get("/v2/trace/setting").bodyAsJsonObject().getString("trace_rate"),
        "nothing was changed by a refused request");
  }
}
