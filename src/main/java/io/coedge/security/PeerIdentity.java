package io.coedge.security;

import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * Who the caller is as far as its connection can tell.
 *
 * <p><b>Contract (for every part that decides on "is this a cluster node?"):</b> a request whose connection
 * carries a verified client certificate is a cluster node. When {@code security.tls.ca} is set the server
 * requests a client certificate and accepts only one issued by that CA (a foreign, expired or not-yet-valid
 * certificate fails the TLS handshake, so no request from it ever arrives); a client without a certificate still
 * connects and is an ordinary API client. So "has peer certificates" is exactly "verified by the cluster CA".
 * Without {@code security.tls.ca} no connection carries a client certificate and no caller is a node by this test.
 *
 * <p>Node-to-node endpoints (an offloaded infer call, marked with the hop headers) require a node when mutual TLS
 * is configured ({@link NodeOnly}); the request gate gives a node the scopes {@code infer} and {@code cluster}
 * ({@link Authenticator}).
 *
 * <p>The answer is remembered per connection (it cannot change after the handshake): asking the JDK again on every
 * request of a connection without a client certificate costs an exception each time.
 */
public final class PeerIdentity {

  private static final Map<HttpConnection, Optional<String>> SEEN = Collections.synchronizedMap(new WeakHashMap<>());

  private PeerIdentity() {
  }

  /** True when the request's connection presented a client certificate that the cluster CA verified. */
  public static boolean isClusterNode(HttpServerRequest request) {
    return subject(request.connection()) != null;
  }

  /** The verified peer's subject, or null on a plain connection or one without a client certificate. */
  public static String subject(HttpConnection connection) {
    if (connection == null || !connection.isSsl()) {
      return null;
    }
    return SEEN.computeIfAbsent(connection, c -> Optional.ofNullable(lookUp(c))).orElse(null);
  }

  private static String lookUp(HttpConnection connection) {
    try {
      return subject(connection.peerCertificates());
    } catch (SSLPeerUnverifiedException e) {
      return null;
    }
  }

  /** The first certificate's subject, or null when the list is null or empty. */
  static String subject(List<Certificate> chain) {
    if (chain == null || chain.isEmpty()) {
      return null;
    }
    Certificate c = chain.get(0);
    return c instanceof X509Certificate x ? x.getSubjectX500Principal().getName() : c.getType();
  }
}
