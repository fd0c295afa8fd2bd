package io.coedge.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class LogFormatTest {

  private static LogRecord record(String message, Throwable thrown) {
    LogRecord r = new LogRecord(Level.WARNING, message);
    r.setLoggerName("io.coedge.Gateway");
    r.setInstant(Instant.parse("2026-12-04T16:20:01.123Z"));
    r.setThrown(thrown);
    return r;
  }

  @Test
  void jsonIsOneObjectPerLineEvenForMultiLineMessagesAndStackTraces() {
    String line = new LogFormat(true).format(record("first\nsecond \"quoted\"", new IllegalStateException("boom")));
    assertEquals(1, line.strip().lines().count(), line);
    JsonObject o = new JsonObject(line.strip());
    assertEquals("2026-12-04T16:20:01.123Z", o.getString("time"));
    assertEquals("WARNING", o.getString("level"));
    assertEquals("io.coedge.Gateway", o.getString("logger"));
    assertEquals("first\nsecond \"quoted\"", o.getString("message"));
    assertTrue(o.getString("error").startsWith("java.lang.IllegalStateException: boom"), o.getString("error"));
  }

  @Test
  void textStartsWithAReadableTimeAndNamesLevelAndLogger() {
    String line = new LogFormat(false).format(record("node x ready", null));
    assertTrue(line.matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} WARNING io\\.coedge\\.Gateway: node x "
        + "ready\\R"), line);
  }

  @Test
  void quietHazelcastDropsTheStandaloneJoinNoticeButKeepsTheLoggersOtherWarnings() {
    LogSetup.quietHazelcast();
    Logger node = Logger.getLogger("com.hazelcast.instance.impl.Node");
    assertFalse(node.getFilter().isLoggable(new LogRecord(Level.WARNING,
        "[127.0.0.1]:5701 [coedge-dev] [5.3.8] No join method is enabled! Starting standalone.")));
    assertTrue(node.getFilter().isLoggable(new LogRecord(Level.WARNING, "Node could not join cluster")));
    assertFalse(Logger.getLogger("com.hazelcast.system.logo").isLoggable(Level.SEVERE));
    assertFalse(Logger.getLogger("com.hazelcast.system").isLoggable(Level.INFO));
    assertFalse(Logger.getLogger("com.hazelcast.cp.CPSubsystem").isLoggable(Level.WARNING));
    assertTrue(Logger.getLogger("com.hazelcast.internal.cluster.ClusterService").isLoggable(Level.INFO));
  }
}
