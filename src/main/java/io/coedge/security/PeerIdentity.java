package io.coedge.security;

import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
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
 * is configured; see {@link NodeOnly}. Authorisation of ordinary clients (API keys, JWT scopes) is not decided here.
 */
public final class PeerIdentity {

  private PeerIdentity() {
  }

  /** True when the request's connection presented a client certificate that the cluster CA verified. */
  public static boolean isClusterNode(HttpServerRequest request) {
    return nodeCertificate(request).isPresent();
  }

  /** The verified client certificate of the request's connection (the leaf), if any. */
  public static Optional<X509Certificate> nodeCertificate(HttpServerRequest request) {
    if (!request.isSSL()) {
      return Optional.empty();
    }
    HttpConnection connection = request.connection();
    try {
      List<Certificate> certs = connection.peerCertificates();
      if (certs == null || certs.isEmpty() || !(certs.get(0) instanceof X509Certificate leaf)) {
        return Optional.empty();
      }
      return Optional.of(leaf);
    } catch (SSLPeerUnverifiedException e) {
      return Optional.empty();
    }
  }
}
