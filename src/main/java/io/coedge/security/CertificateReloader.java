package io.coedge.security;

import io.coedge.config.ConfigException;
import io.coedge.config.TlsConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.ServerSSLOptions;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * Watches the PEM files on a timer and, when their contents change and still check out ({@link PemFiles}), hands
 * the new material to the HTTP server ({@code HttpServer.updateSSLOptions}: open connections keep their session,
 * new handshakes get the new certificate) and to the offload client. A change that does not check out is logged
 * and skipped; the node keeps serving with what it had, and a later fix of the files is picked up.
 */
public final class CertificateReloader {

  private static final Logger LOG = Logger.getLogger(CertificateReloader.class.getName());

  private final Vertx vertx;
  private final TlsConfig config;
  private final HttpServer server;
  private final Function<ClientSSLOptions, Future<Boolean>> client;
  private final AtomicBoolean checking = new AtomicBoolean();
  private volatile TlsMaterial current;
  private volatile String lastProblem;
  private volatile long timer = -1;

  /**
   * @param server  any instance of the shared listener (Vert.x applies the update to the port's actual server)
   * @param client  updates the offload client's options
   * @param current what the server was started with
   */
  public CertificateReloader(Vertx vertx, TlsConfig config, HttpServer server,
      Function<ClientSSLOptions, Future<Boolean>> client, TlsMaterial current) {
    this.vertx = vertx;
    this.config = config;
    this.server = server;
    this.client = client;
    this.current = current;
  }

  /** Checks every {@code security.tls.reload-interval-s}; does nothing when that is 0. */
  public void start() {
    if (config.reloadIntervalSeconds() > 0) {
      timer = vertx.setPeriodic(config.reloadIntervalSeconds() * 1000L, id -> check());
    }
  }

  public void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }

  /**
   * Reads the files (off the event loop) and applies them if they changed.
   *
   * @return true when new material was applied
   */
  public Future<Boolean> check() {
    if (!checking.compareAndSet(false, true)) {
      return Future.succeededFuture(false);
    }
    return vertx.executeBlocking(() -> PemFiles.load(config), false)
        .compose(this::apply, this::report)
        .onComplete(ar -> checking.set(false));
  }

  private Future<Boolean> apply(TlsMaterial read) {
    lastProblem = null;
    if (read.sameFiles(current)) {
      return Future.succeededFuture(false);
    }
    ServerSSLOptions serverOptions = read.serverOptions();
    return server.updateSSLOptions(serverOptions, true)
        .compose(x -> client.apply(read.clientOptions()))
        .map(x -> {
          current = read;
          LOG.info("TLS certificate reloaded: " + read.leaf().getSubjectX500Principal() + ", serial "
              + read.leaf().getSerialNumber().toString(16) + ", valid until " + read.leaf().getNotAfter());
          return true;
        })
        .recover(this::report);
  }

  private Future<Boolean> report(Throwable failure) {
    String problem = failure instanceof ConfigException ? failure.getMessage()
        : failure.getClass().getSimpleName() + ": " + failure.getMessage();
    if (!problem.equals(lastProblem)) {
      LOG.warning("TLS files changed but cannot be used, keeping the current certificate: " + problem);
      lastProblem = problem;
    }
    return Future.succeededFuture(false);
  }

  /** True while the files on disk changed and cannot be used (the certificate in force stays). */
  public boolean rejected() {
    return lastProblem != null;
  }

  /** What the server presents now (for tests and logs). */
  public TlsMaterial current() {
    return current;
  }
}
