package io.coedge.security;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Records every log record of the JVM (all levels) while open, formatted with parameters and stack traces. */
final class LogCapture extends Handler implements AutoCloseable {

  private final Logger root = Logger.getLogger("");
  private final Level rootLevel = root.getLevel();
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final List<LogRecord> records = new CopyOnWriteArrayList<>();

  LogCapture() {
    setLevel(Level.ALL);
    root.setLevel(Level.ALL);
    root.addHandler(this);
  }

  @Override
  public void publish(LogRecord r) {
    records.add(r);
    StringBuilder b = new StringBuilder(r.getLevel() + " " + r.getLoggerName() + ": " + r.getMessage());
    if (r.getParameters() != null) {
      for (Object p : r.getParameters()) {
        b.append(" | ").append(p);
      }
    }
    for (Throwable t = r.getThrown(); t != null; t = t.getCause()) {
      b.append(" | ").append(t);
      for (StackTraceElement e : t.getStackTrace()) {
        b.append(' ').append(e);
      }
    }
    lines.add(b.toString());
  }

  List<String> lines() {
    return List.copyOf(lines);
  }

  boolean any(String text, Level atLeast) {
    return records.stream().anyMatch(r -> r.getLevel().intValue() >= atLeast.intValue()
        && String.valueOf(r.getMessage()).contains(text));
  }

  @Override
  public void flush() {
  }

  @Override
  public void close() {
    root.removeHandler(this);
    root.setLevel(rootLevel);
  }
}
