package io.coedge.cluster;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * At most one log line per topic per interval, naming how many were suppressed since the last one, so a
 * peer that writes garbage every 250 ms cannot flood the log. Topics are few and fixed (one per map).
 */
final class RateLimitedLog {

  private record Window(long startMs, int suppressed, boolean emit) {
  }

  private final Logger log;
  private final long intervalMs;
  private final LongSupplier clock;
  private final Map<String, Window> windows = new ConcurrentHashMap<>();

  RateLimitedLog(Logger log, long intervalMs, LongSupplier clock) {
    this.log = log;
    this.intervalMs = intervalMs;
    this.clock = clock;
  }

  /** Logs {@code message} unless this topic logged less than an interval ago; true if it logged. */
  boolean warn(String topic, String message) {
    long now = clock.getAsLong();
    int[] suppressedBefore = new int[1];
    Window w = windows.compute(topic, (k, old) -> {
      if (old == null || now - old.startMs() >= intervalMs) {
        suppressedBefore[0] = old == null ? 0 : old.suppressed();
        return new Window(now, 0, true);
      }
      return new Window(old.startMs(), old.suppressed() + 1, false);
    });
    if (w.emit()) {
      log.log(Level.WARNING, suppressedBefore[0] == 0 ? message
          : message + " (" + suppressedBefore[0] + " similar lines suppressed)");
    }
    return w.emit();
  }
}
