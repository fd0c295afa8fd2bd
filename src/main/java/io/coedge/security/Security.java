package io.coedge.security;

import io.coedge.config.AuthConfig;
import io.coedge.config.ConfigException;
import io.coedge.config.RateLimitConfig;
import io.coedge.observability.MetricName;
import io.coedge.observability.Metrics;
import io.vertx.core.Vertx;
import io.vertx.ext.auth.PubSecKeyOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.Logger;

/**
 * The request gate of one node, shared by all its HTTP verticles: key file (reloaded), JWT verifier, access rules
 * and rate limiter, exposed as one {@link AuthHandler} to mount first in the router.
 */
public final class Security {

  private static final Logger LOG = Logger.getLogger(Security.class.getName());

  private final AuthConfig auth;
  private final KeyFileWatcher keyFile;
  private final List<PubSecKeyOptions> jwtKeys;
  private final RateLimiter limiter;
  private final String nodeKey;
  private volatile AuthHandler handler;

  private Security(AuthConfig auth, KeyFileWatcher keyFile, List<PubSecKeyOptions> jwtKeys, RateLimiter limiter,
      String nodeKey) {
    this.auth = auth;
    this.keyFile = keyFile;
    this.jwtKeys = jwtKeys;
    this.limiter = limiter;
    this.nodeKey = nodeKey;
  }

  /**
   * Reads the key file and the JWT keys now, before Vert.x starts, so that a file that cannot be used stops the
   * node before it opens a port: throws a {@link ConfigException} naming the key and what is wrong.
   *
   * @param httpHost the HTTP listener's interface, to warn when it is open to the network without credentials
   */
  public static Security create(AuthConfig auth, RateLimitConfig rates, String httpHost) {
    KeyFileWatcher keys = auth.mode().keys() ? keyFile(auth) : null;
    List<PubSecKeyOptions> jwtKeys = auth.mode().jwt() ? JwtKeys.read(auth) : List.of();
    if (auth.mode() == AuthConfig.Mode.NONE && !TlsSetup.loopback(httpHost)) {
      LOG.warning("security.auth.mode is none and http.host is " + httpHost
          + ": anyone who can reach the port may call every endpoint");
    }
    return new Security(auth, keys, jwtKeys, new RateLimiter(new Limit(rates.rate(), rates.burst()),
        rates.maxBuckets(), System::nanoTime), auth.nodeKeyFile() == null ? null : nodeKey(auth.nodeKeyFile()));
  }

  /**
   * Builds the request gate on {@code vertx} (refusals counted in {@code metrics}); starts the key-file reload timer.
   *
   * @param hopHeader the header an offloading node sets (such requests need the {@code cluster} scope)
   */
  public void start(Vertx vertx, Metrics metrics, String hopHeader) {
    JwtVerifier jwt = auth.mode().jwt() ? JwtVerifier.create(vertx, auth, jwtKeys) : null;
    Authenticator authenticator = new Authenticator(auth.mode(), keyFile == null ? () -> ApiKeys.NONE : keyFile,
        jwt);
    handler = new AuthHandler(new AccessRules(auth.openHealth(), auth.openMetrics()), authenticator, limiter,
        metrics, hopHeader);
    if (keyFile != null) {
      keyFile.start(vertx, auth.keyReloadSeconds());
    }
    metrics.gauge(MetricName.FILE_REJECTED, () -> keyFile != null && keyFile.rejected() ? 1 : 0, "key-file");
  }

  private static KeyFileWatcher keyFile(AuthConfig auth) {
    try {
      return new KeyFileWatcher(auth.keyFile());
    } catch (IllegalArgumentException e) {
      throw new ConfigException("config key '" + AuthConfig.KEY_FILE.name() + "' (env " + AuthConfig.KEY_FILE.envName()
          + "): " + e.getMessage());
    }
  }

  /** This node's own key, read once; the message never quotes the file's content. */
  private static String nodeKey(Path file) {
    String key;
    try {
      key = Files.readString(file).strip();
    } catch (IOException | RuntimeException e) {
      throw new ConfigException("config key '" + AuthConfig.NODE_KEY_FILE.name() + "': cannot read " + file);
    }
    if (key.length() < HashKey.MIN_KEY_CHARS || key.contains(".") || key.chars().anyMatch(Character::isWhitespace)) {
      throw new ConfigException("config key '" + AuthConfig.NODE_KEY_FILE.name() + "': " + file + " must hold one "
          + "API key of at least " + HashKey.MIN_KEY_CHARS + " characters, no dots or spaces (make one with HashKey)");
    }
    return key;
  }

  public AuthHandler handler() {
    return handler;
  }

  /** The key this node sends to other nodes ({@code X-API-Key}), or null; never logged, never shared. */
  public String nodeKey() {
    return nodeKey;
  }

  public void stop(Vertx vertx) {
    if (keyFile != null) {
      keyFile.stop(vertx);
    }
  }
}
