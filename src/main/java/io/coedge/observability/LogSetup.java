package io.coedge.observability;

import io.coedge.config.LogConfig;
import java.util.List;
import java.util.logging.ConsoleHandler;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Logging for the running node: one handler on standard error in the configured format, quiet Hazelcast by
 * default (no logo, banner, Jet and CP Subsystem notices, nor "No join method is enabled!" on a standalone node;
 * membership changes and warnings stay), and the routing switch. An operator's own
 * {@code -Djava.util.logging.config.file} is left alone.
 */
public final class LogSetup {

  /** Loggers whose level is set here; held so that the JDK does not drop them, and with them their levels. */
  private static final List<Logger> HELD = new java.util.concurrent.CopyOnWriteArrayList<>();

  private LogSetup() {
  }

  /** {@code verbose} keeps Hazelcast's start-up notices. */
  public static void apply(LogConfig config, boolean verbose) {
    if (System.getProperty("java.util.logging.config.file") != null) {
      return;
    }
    Logger root = Logger.getLogger("");
    for (Handler h : root.getHandlers()) {
      root.removeHandler(h);
    }
    ConsoleHandler console = new ConsoleHandler();
    console.setLevel(Level.ALL);
    console.setFormatter(new LogFormat(config.json()));
    root.addHandler(console);
    root.setLevel(Level.INFO);
    if (config.routingDecisions()) {
      level("io.coedge.routing", Level.FINE);
    }
    if (!verbose) {
      quietHazelcast();
    }
  }

  /** Hazelcast's start-up chatter off; its warnings, errors and membership changes kept. */
  public static void quietHazelcast() {
    level("com.hazelcast", Level.WARNING);
    level("com.hazelcast.internal.cluster", Level.INFO);
    level("com.hazelcast.core.LifecycleService", Level.INFO);
    level("com.hazelcast.system.logo", Level.OFF);
    level("com.hazelcast.cp.CPSubsystem", Level.SEVERE);
    // A standalone node has no join method on purpose; the same logger's other warnings stay.
    level("com.hazelcast.instance.impl.Node", Level.WARNING)
        .setFilter(r -> r.getMessage() == null || !r.getMessage().contains("No join method is enabled"));
  }

  private static Logger level(String name, Level level) {
    Logger l = Logger.getLogger(name);
    l.setLevel(level);
    HELD.add(l);
    return l;
  }
}
