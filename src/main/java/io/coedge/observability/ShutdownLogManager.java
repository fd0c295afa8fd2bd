package io.coedge.observability;

import java.util.logging.LogManager;

/**
 * The JDK's log manager closes every handler from its own shutdown hook, racing ours: the lines that say how the
 * node stopped and left the cluster were lost. This one ignores that hook's reset; {@code Main}'s shutdown hook
 * calls {@link #finish()} when it is done. Installed by {@code Main} through {@code java.util.logging.manager}
 * before the first logger exists. Console handlers flush every record, so nothing waits on the final reset.
 */
public final class ShutdownLogManager extends LogManager {

  private static final String JDK_CLEANER = LogManager.class.getName() + "$Cleaner";

  @Override
  public void reset() {
    if (!Thread.currentThread().getClass().getName().equals(JDK_CLEANER)) {
      super.reset();
    }
  }

  /** Closes the handlers; the last thing our shutdown hook does. */
  public void finish() {
    super.reset();
  }

  /** The installed manager, or null when another one was configured. */
  public static ShutdownLogManager installed() {
    return LogManager.getLogManager() instanceof ShutdownLogManager m ? m : null;
  }
}
