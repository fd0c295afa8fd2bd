package io.coedge.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coedge.RunningNode;
import io.coedge.TestNodes;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Without an OTLP endpoint nothing is traced, whatever the caller sends, and the settings say so. */
@Timeout(60)
class TracingOffTest {

  @RegisterExtension
  static final RunningNode NODE = new RunningNode(TestNodes.TEST_MODELS);

  @Test
  void aSampledTraceparentGetsNoTraceAndTheSettingsShowOff() {
    MultiMap h = MultiMap.caseInsensitiveMultiMap().add("content-type", "application/json")
        .add("traceparent", "00-" + TracingTest.TRACE + "-" + TracingTest.PARENT + "-01");
    HttpResponse<Buffer> r = NODE.http().post(TracingTest.INFER, TracingTest.BODY.toBuffer(), h);
    assertEquals(200, r.statusCode());
    assertNull(r.getHeader(RequestTrace.TRACE_ID_HEADER));
    JsonObject s = NODE.http().get("/v2/trace/setting").bodyAsJsonObject();
    assertEquals(new JsonArray().add("OFF"), s.getJsonArray("trace_level"));
    assertEquals("opentelemetry", s.getString("trace_mode"));
  }

  @Test
  void turningTracingOnWithoutAnEndpointIsA400SayingWhichKeyToSet() {
    HttpResponse<Buffer> r = NODE.http().post("/v2/trace/setting", new JsonObject()
        .put("trace_level", new JsonArray().add("TIMESTAMPS")));
    assertEquals(400, r.statusCode());
    assertTrue(r.bodyAsJsonObject().getString("error").contains("observability.otlp-endpoint"), r.bodyAsString());
  }
}
