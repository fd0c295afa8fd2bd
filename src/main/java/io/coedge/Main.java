package io.coedge;

import io.coedge.api.Versions;
import io.coedge.config.CoedgeConfig;
import io.coedge.config.CommandLine;
import io.coedge.config.ConfigException;
import io.coedge.observability.LogSetup;
import io.coedge.observability.ShutdownLogManager;
import io.coedge.security.PemFiles;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Entry point: parse the command line and config (a bad value stops here, before any port opens, exit 2), check
 * the machine (ports, model repository: exit 1), start the node, stop on SIGTERM. A start failure is one line on
 * standard error, with its stack trace only under {@code --verbose}.
 */
public final class Main {

  static {
    // Before the first logger: our shutdown hook's lines must not race the JDK's handler reset.
    if (System.getProperty("java.util.logging.manager") == null) {
      System.setProperty("java.util.logging.manager", ShutdownLogManager.class.getName());
    }
  }

  static final int CONFIG_ERROR = 2;
  static final int ENVIRONMENT_ERROR = 1;
  /** Beyond the drain timeout: time for the engine, the cluster and Vert.x to close. */
  private static final int STOP_MARGIN_S = 20;

  private Main() {
  }

  public static void main(String[] args) throws InterruptedException {
    CommandLine line;
    CoedgeConfig config;
    try {
      line = CommandLine.parse(args);
      if (line.action() == CommandLine.Action.HELP) {
        System.out.print(CommandLine.help());
        return;
      }
      if (line.action() == CommandLine.Action.VERSION) {
        System.out.println("coedge " + Versions.BUILD + " (Java " + Runtime.version() + ", " + System.getProperty(
            "os.arch") + ")");
        return;
      }
      config = line.config(System.getenv());
      if (line.action() == CommandLine.Action.PROBE) {
        System.exit(Probe.run(line.probeUrl(), config));
      }
      PemFiles.load(config.tls());
    } catch (ConfigException e) {
      System.err.println("coedge: " + e.getMessage());
      System.exit(CONFIG_ERROR);
      return;
    }
    LogSetup.apply(config.log(), line.verbose());
    Gateway node;
    try {
      node = Gateway.start(config).toCompletionStage().toCompletableFuture().get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      System.err.println("coedge: " + StartChecks.describe(cause) + (line.verbose() || cause instanceof
          ConfigException || cause instanceof StartChecks.EnvironmentException ? "" : " (--verbose for details)"));
      if (line.verbose()) {
        cause.printStackTrace();
      }
      System.exit(cause instanceof ConfigException ? CONFIG_ERROR : ENVIRONMENT_ERROR);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(node), "coedge-shutdown"));
  }

  private static void stop(Gateway node) {
    Logger log = Logger.getLogger(Main.class.getName());
    log.info("shutting down");
    CountDownLatch stopped = new CountDownLatch(1);
    boolean done = false;
    try {
      node.close().onComplete(ar -> stopped.countDown());
      done = stopped.await(node.config().node().drainTimeoutS() + STOP_MARGIN_S, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.warning("stop failed: " + e);
    } finally {
      if (!done) {
        log.warning("stop did not finish in time; exiting anyway");
      }
      ShutdownLogManager logs = ShutdownLogManager.installed();
      if (logs != null) {
        logs.finish();
      }
      // A drained stop is a clean exit (0), not the JVM's 143 for SIGTERM: supervisors and orchestrators read it so.
      Runtime.getRuntime().halt(done ? 0 : 1);
    }
  }
}
