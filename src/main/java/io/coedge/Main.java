package io.coedge;

import io.coedge.config.CoedgeConfig;
import io.coedge.config.ConfigException;
import io.coedge.observability.ShutdownLogManager;
import io.coedge.security.PemFiles;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Entry point: read config and check the TLS files (a bad value stops here, before any port opens), start the
 * node, stop on SIGTERM.
 */
public final class Main {

  static {
    // Before the first logger: our shutdown hook's lines must not race the JDK's handler reset.
    if (System.getProperty("java.util.logging.manager") == null) {
      System.setProperty("java.util.logging.manager", ShutdownLogManager.class.getName());
    }
  }

  private static final Logger LOG = Logger.getLogger(Main.class.getName());

  private Main() {
  }

  public static void main(String[] args) throws InterruptedException {
    if (System.getProperty("java.util.logging.config.file") == null) {
      System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tL %4$s %3$s: %5$s%6$s%n");
    }
    CoedgeConfig config;
    try {
      config = CoedgeConfig.fromArgs(args, System.getenv());
      PemFiles.load(config.tls());
    } catch (ConfigException e) {
      System.err.println("coedge: " + e.getMessage());
      System.exit(2);
      return;
    }
    CountDownLatch started = new CountDownLatch(1);
    Gateway[] node = new Gateway[1];
    Gateway.start(config).onComplete(ar -> {
      if (ar.failed() && ar.cause() instanceof ConfigException e) {
        System.err.println("coedge: " + e.getMessage());
        System.exit(2);
      }
      if (ar.failed()) {
        LOG.severe("start failed: " + ar.cause());
        System.exit(1);
      }
      node[0] = ar.result();
      started.countDown();
    });
    started.await();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("shutting down");
      CountDownLatch stopped = new CountDownLatch(1);
      node[0].close().onComplete(ar -> stopped.countDown());
      try {
        stopped.await(20, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      ShutdownLogManager logs = ShutdownLogManager.installed();
      if (logs != null) {
        logs.finish();
      }
    }, "coedge-shutdown"));
  }
}
