package io.coedge.security;

import io.vertx.core.http.HttpConnection;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * The cluster-node contract shared with the TLS listener: a request whose connection carries a client
 * certificate that the TLS handshake verified against the cluster CA is a cluster node. The TLS side makes
 * sure only cluster-CA certificates get through; here we only ask whether one did.
 */
public final class CertifiedPeer {

  private CertifiedPeer() {
  }

  /** The verified peer's subject, or null on a plain connection or one without a client certificate. */
  public static String subject(HttpConnection connection) {
    if (connection == null || !connection.isSsl()) {
      return null;
    }
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
