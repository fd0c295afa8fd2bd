package io.coedge.observability;

import java.util.logging.Filter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The node's logging changed at run time, in the terms of Triton's logging extension: the verbose level (0 = INFO
 * and above from {@code io.coedge}; 1 = FINE, 2 = FINER, 3 = FINEST), whether INFO, WARNING and SEVERE lines are
 * written, the line format, and Coedge's routing decision line ({@code io.coedge.routing} at FINE). The state is
 * read back from {@code java.util.logging} itself, so what {@link #current()} says is what is in effect.
 */
public final class LogControl {

  /** What the logging extension shows and changes. */
  public record Settings(int verboseLevel, boolean info, boolean warning, boolean error, boolean json,
      boolean routingDecisions) {
  }

  private static final Logger COEDGE = Logger.getLogger("io.coedge");
  private static final Logger ROUTING = Logger.getLogger("io.coedge.routing");
  private static final Level[] VERBOSE = {null, Level.FINE, Level.FINER, Level.FINEST};
  private static volatile boolean info = true;
  private static volatile boolean warning = true;
  private static volatile boolean error = true;
  /** Applied to the root handlers once a level is switched off: drops the switched-off levels. */
  private static final Filter SEVERITIES = r -> {
    int l = r.getLevel().intValue();
    return l >= Level.SEVERE.intValue() ? error : l >= Level.WARNING.intValue() ? warning
        : l >= Level.INFO.intValue() ? info : true;
  };

  private LogControl() {
  }

  public static synchronized Settings current() {
    Level c = COEDGE.getLevel();
    int verbose = 0;
    for (int i = 1; i < VERBOSE.length; i++) {
      if (c != null && c.intValue() <= VERBOSE[i].intValue()) {
        verbose = i;
      }
    }
    boolean json = false;
    for (Handler h : Logger.getLogger("").getHandlers()) {
      json |= h.getFormatter() instanceof LogFormat f && f.json();
    }
    return new Settings(verbose, info, warning, error, json, ROUTING.isLoggable(Level.FINE));
  }

  /** Applies {@code s}; the format only changes handlers that write Coedge's own format (not an operator's). */
  public static synchronized void apply(Settings s) {
    if (s.verboseLevel() < 0 || s.verboseLevel() >= 1_000_000) {
      throw new IllegalArgumentException("verbose level " + s.verboseLevel());
    }
    Level verbose = VERBOSE[Math.min(s.verboseLevel(), VERBOSE.length - 1)];
    COEDGE.setLevel(verbose);
    ROUTING.setLevel(s.routingDecisions() ? finest(verbose, Level.FINE) : verbose);
    info = s.info();
    warning = s.warning();
    error = s.error();
    Level needed = finest(verbose, s.routingDecisions() ? Level.FINE : null);
    for (Handler h : Logger.getLogger("").getHandlers()) {
      if (needed != null && h.getLevel().intValue() > needed.intValue()) {
        h.setLevel(needed);
      }
      if (h.getFormatter() instanceof LogFormat f && f.json() != s.json()) {
        h.setFormatter(new LogFormat(s.json()));
      }
      if (!(s.info() && s.warning() && s.error()) && h.getFilter() == null) {
        h.setFilter(SEVERITIES);
      }
    }
  }

  private static Level finest(Level a, Level b) {
    return a == null ? b : b == null ? a : a.intValue() < b.intValue() ? a : b;
  }
}
