package io.coedge.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class RateLimitedLogTest {

  @Test
  void logsOncePerIntervalPerTopicAndCountsWhatItSuppressed() {
    AtomicLong now = new AtomicLong();
    Logger logger = Logger.getAnonymousLogger();
    logger.setUseParentHandlers(false);
    List<String> lines = new ArrayList<>();
    logger.addHandler(new Handler() {
      public void publish(LogRecord r) {
        lines.add(r.getMessage());
      }

      public void flush() {
      }

      public void close() {
      }
    });
    RateLimitedLog log = new RateLimitedLog(logger, 10_000, now::get);
    assertTrue(log.warn("nodes", "bad 1"));
    assertFalse(log.warn("nodes", "bad 2"));
    assertFalse(log.warn("nodes", "bad 3"));
    assertTrue(log.warn("versions", "other topic"));
    now.set(10_000);
    assertTrue(log.warn("nodes", "bad 4"));
    assertEquals(List.of("bad 1", "other topic", "bad 4 (2 similar lines suppressed)"), lines);
  }
}
