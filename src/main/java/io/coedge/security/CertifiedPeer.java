package io.coedge.security;

import io.vertx.core.http.HttpConnection;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * The cluster-node contract shared with the TLS listener: a request whose connection carries a client
 * certificate that the TLS handshake verified against the cluster CA is a cluster node. The TLS side makes
 * sure only cluster-CA certificates get through; here we only ask whether one did.
 *
 * <p>The answer is remembered per connection (it cannot change after the handshake): asking the JDK again on
 * every request of a connection without a client certificate costs an exception each time.
 */
public final class CertifiedPeer {

  private static final Map<HttpConnection, Optional<String>> SEEN = Collections.synchronizedMap(new WeakHashMap<>());

  private CertifiedPeer() {
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
