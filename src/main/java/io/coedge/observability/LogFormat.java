package io.coedge.observability;

import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/** The two log line formats: human-readable text with local time, or one JSON object per line (UTC time). */
public final class LogFormat extends Formatter {

  private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS")
      .withZone(ZoneId.systemDefault());

  private final boolean json;

  public LogFormat(boolean json) {
    this.json = json;
  }

  /** True for one JSON object per line. */
  public boolean json() {
    return json;
  }

  @Override
  public String format(LogRecord r) {
    String message = formatMessage(r);
    String error = r.getThrown() == null ? null : stackTrace(r.getThrown());
    if (json) {
      JsonObject o = new JsonObject().put("time", r.getInstant().toString()).put("level", r.getLevel().getName())
          .put("logger", r.getLoggerName()).put("thread", Thread.currentThread().getName()).put("message", message);
      return (error == null ? o : o.put("error", error)).encode() + System.lineSeparator();
    }
    return LOCAL.format(r.getInstant()) + " " + r.getLevel().getName() + " " + r.getLoggerName() + ": " + message
        + (error == null ? "" : System.lineSeparator() + error) + System.lineSeparator();
  }

  private static String stackTrace(Throwable t) {
    StringWriter w = new StringWriter();
    t.printStackTrace(new PrintWriter(w));
    return w.toString().stripTrailing();
  }
}
