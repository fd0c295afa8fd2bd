package io.coedge.config;

/**
 * Log output: plain text lines or one JSON object per line, and the per-request routing explanation.
 *
 * @param json             one JSON object per line (time, level, logger, thread, message, error)
 * @param routingDecisions one FINE line per request from {@code io.coedge.routing} saying where it ran and why
 */
public record LogConfig(boolean json, boolean routingDecisions) {

  static final ConfigKey FORMAT = ConfigKey.of("log.format", "text",
      "`text` (one human-readable line per event) or `json` (one JSON object per line: time, level, logger, "
          + "thread, message, error)");
  static final ConfigKey ROUTING = ConfigKey.of("log.routing-decisions", "false",
      "`true` = one line per inference request saying where it ran and why (local, offload, cascade, fallback)");

  static LogConfig from(ConfigSource s) {
    return new LogConfig("json".equals(s.oneOf(FORMAT, "text", "json")), s.bool(ROUTING));
  }
}
