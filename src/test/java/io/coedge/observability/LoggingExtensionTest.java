package io.coedge.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coedge.RunningNode;
import io.coedge.TestNodes;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Triton's logging extension changes what the node logs while it runs; bad values are 400s naming the field. */
@Timeout(60)
class LoggingExtensionTest {

  @RegisterExtension
  static final RunningNode NODE = new RunningNode(TestNodes.TEST_MODELS);

  /** Keeps every record that reaches it, and formats each with its formatter. */
  private static final class Capture extends Handler {
    final List<LogRecord> records = new CopyOnWriteArrayList<>();
    final List<String> lines = new CopyOnWriteArrayList<>();

    Capture() {
      setLevel(Level.ALL);
    }

    @Override
    public void publish(LogRecord r) {
      if (isLoggable(r)) {
        records.add(r);
        lines.add(getFormatter() == null ? r.getMessage() : getFormatter().format(r));
      }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }

    long decisions() {
      return records.stream().filter(r -> r.getLevel() == Level.FINE && r.getMessage().contains("add-one/1 policy="))
          .count();
    }
  }

  @AfterEach
  void restore() {
    assertEquals(200, post(new JsonObject().put("log_verbose_level", 0).put("routing_decisions", false)
        .put("log_info", true).put("log_warning", true).put("log_error", true).put("log_format", "text"))
        .statusCode());
  }

  static HttpResponse<Buffer> post(JsonObject body) {
    return NODE.http().post("/v2/logging", body);
  }

  static void infer() {
    assertEquals(200, NODE.http().post(TracingTest.INFER, TracingTest.BODY).statusCode());
  }

  @Test
  void routingDecisionsSwitchOnAndOffAtRunTime() {
    Capture capture = new Capture();
    Logger routing = Logger.getLogger("io.coedge.routing");
    routing.addHandler(capture);
    try {
      infer();
      assertEquals(0, capture.decisions(), "off by default");
      JsonObject on = post(new JsonObject().put("routing_decisions", true)).bodyAsJsonObject();
      assertTrue(on.getBoolean("routing_decisions"));
      infer();
      assertEquals(1, capture.decisions(), "one FINE line for the request: " + capture.lines);
      post(new JsonObject().put("routing_decisions", false));
      infer();
      assertEquals(1, capture.decisions(), "no line once switched off");
    } finally {
      routing.removeHandler(capture);
    }
  }

  @Test
  void theVerboseLevelOpensFineLoggingOfTheWholeNode() {
    Logger model = Logger.getLogger("io.coedge.inference.Scheduler");
    assertFalse(model.isLoggable(Level.FINE));
    JsonObject v = post(new JsonObject().put("log_verbose_level", 1)).bodyAsJsonObject();
    assertEquals(1, v.getInteger("log_verbose_level"));
    assertTrue(model.isLoggable(Level.FINE));
    assertFalse(model.isLoggable(Level.FINER));
    assertEquals(1, NODE.http().get("/v2/logging").bodyAsJsonObject().getInteger("log_verbose_level"));
  }

  @Test
  void switchedOffSeveritiesAndTheFormatApplyToTheNodesOwnHandler() {
    Capture mine = new Capture();
    mine.setFormatter(new LogFormat(false));
    Logger root = Logger.getLogger("");
    root.addHandler(mine);
    Logger log = Logger.getLogger("io.coedge.test");
    try {
      JsonObject s = post(new JsonObject().put("log_warning", false).put("log_format", "json")).bodyAsJsonObject();
      assertFalse(s.getBoolean("log_warning"));
      assertEquals("json", s.getString("log_format"));
      log.warning("dropped warning");
      log.severe("kept error");
      assertEquals(List.of("kept error"), mine.records.stream().map(LogRecord::getMessage).toList());
      assertEquals("kept error", new JsonObject(mine.lines.get(0)).getString("message"), mine.lines.toString());
    } finally {
      root.removeHandler(mine);
    }
  }

  @Test
  void badValuesAre400sNamingTheField() {
    Map<String, JsonObject> bad = Map.of(
        "log_verbose_level", new JsonObject().put("log_verbose_level", -1),
        "log_info", new JsonObject().put("log_info", "yes"),
        "log_format", new JsonObject().put("log_format", "xml"),
        "log_file", new JsonObject().put("log_file", "/tmp/coedge.log"),
        "log_levels", new JsonObject().put("log_levels", 2));
    for (var e : bad.entrySet()) {
      HttpResponse<Buffer> r = post(e.getValue());
      assertEquals(400, r.statusCode(), e.getKey());
      assertTrue(r.bodyAsJsonObject().getString("error").contains(e.getKey()), r.bodyAsString());
    }
    assertEquals(400, NODE.http().post("/v2/logging", Buffer.buffer("[1]"),
        io.vertx.core.MultiMap.caseInsensitiveMultiMap().add("content-type", "application/json")).statusCode());
    assertEquals(0, NODE.http().get("/v2/logging").bodyAsJsonObject().getInteger("log_verbose_level"));
  }
}
