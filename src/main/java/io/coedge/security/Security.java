package io.coedge.security;

import io.coedge.config.AuthConfig;
import io.coedge.config.ConfigException;
import io.coedge.config.RateLimitConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.logging.Logger;

/**
 * The request gate of one node, shared by all its HTTP verticles: key file (reloaded), JWT verifier, access rules
 * and rate limiter, exposed as one {@link AuthHandler} to mount first in the router.
 */
public final class Security {

  private static final Logger LOG = Logger.getLogger(Security.class.getName());

  private final AuthHandler handler;
  private final KeyFileWatcher keyFile;
  private final RateLimiter limiter;

  private Security(AuthHandler handler, KeyFileWatcher keyFile, RateLimiter limiter) {
    this.handler = handler;
    this.keyFile = keyFile;
    this.limiter = limiter;
  }

  /**
   * Reads the key file and JWT keys (on a worker thread) and starts the key-file reload timer. Fails with a
   * {@link ConfigException} naming the key when a file cannot be used, so the node never opens its port.
   *
   * @param httpHost the HTTP listener's interface, to warn when it is open to the network without credentials
   */
  public static Future<Security> start(Vertx vertx, AuthConfig auth, RateLimitConfig rates, String httpHost) {
    return vertx.executeBlocking(() -> {
      KeyFileWatcher keys = auth.mode().keys() ? keyFile(auth) : null;
      JwtVerifier jwt = auth.mode().jwt() ? JwtVerifier.create(vertx, auth) : null;
      RateLimiter limiter = new RateLimiter(new Limit(rates.rate(), rates.burst()), rates.maxBuckets(),
          System::nanoTime);
      Authenticator authenticator = new Authenticator(auth.mode(), keys == null ? () -> ApiKeys.NONE : keys, jwt);
      if (keys != null) {
        keys.start(vertx, auth.keyReloadSeconds());
      }
      if (auth.mode() == AuthConfig.Mode.NONE && !loopback(httpHost)) {
        LOG.warning("security.auth.mode is none and http.host is " + httpHost
            + ": anyone who can reach the port may call every endpoint");
      }
      return new Security(new AuthHandler(new AccessRules(auth.openHealth(), auth.openMetrics()), authenticator,
          limiter), keys, limiter);
    }, false);
  }

  private static KeyFileWatcher keyFile(AuthConfig auth) {
    try {
      return new KeyFileWatcher(auth.keyFile());
    } catch (IllegalArgumentException e) {
      throw new ConfigException("config key '" + AuthConfig.KEY_FILE.name() + "' (env " + AuthConfig.KEY_FILE.envName()
          + "): " + e.getMessage());
    }
  }

  private static boolean loopback(String host) {
    return host.equals("127.0.0.1") || host.equals("localhost") || host.equals("::1") || host.startsWith("127.");
  }

  public AuthHandler handler() {
    return handler;
  }

  public RateLimiter limiter() {
    return limiter;
  }

  public void stop(Vertx vertx) {
    if (keyFile != null) {
      keyFile.stop(vertx);
    }
  }
}
