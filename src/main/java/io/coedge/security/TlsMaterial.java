package io.coedge.security;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.ServerSSLOptions;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Objects;

/**
 * The checked contents of the PEM files (see {@link PemFiles}) and the Vert.x options made from them. Options
 * carry the bytes, not the paths, so a reload compares contents and a half-written file is never loaded.
 *
 * @param cert the node's certificate chain, PEM
 * @param key  its private key, PEM
 * @param ca   the cluster CA, PEM, or null when mutual TLS is off
 * @param leaf the node's own certificate (first of the chain)
 */
public record TlsMaterial(byte[] cert, byte[] key, byte[] ca, X509Certificate leaf) {

  /** Hostname verification of peers: a node's certificate must name the host of its advertised URL. */
  public static final String HOSTNAME_VERIFICATION = "HTTPS";

  public TlsMaterial {
    Objects.requireNonNull(cert);
    Objects.requireNonNull(key);
    Objects.requireNonNull(leaf);
  }

  public boolean mutual() {
    return ca != null;
  }

  /** Turns on HTTPS on {@code options}: HTTP/2 and HTTP/1.1 over ALPN, and client certificates when mutual. */
  public HttpServerOptions applyTo(HttpServerOptions options) {
    options.setSsl(true).setUseAlpn(true).setKeyCertOptions(keyCert());
    if (mutual()) {
      options.setTrustOptions(trust()).setClientAuth(ClientAuth.REQUEST);
    }
    return options;
  }

  /** The same as {@link #applyTo}, as an update for a listening server. */
  public ServerSSLOptions serverOptions() {
    ServerSSLOptions o = new ServerSSLOptions().setUseAlpn(true).setKeyCertOptions(keyCert());
    if (mutual()) {
      o.setTrustOptions(trust()).setClientAuth(ClientAuth.REQUEST);
    }
    return o;
  }

  /**
   * What this node uses to call peers over HTTPS: with mutual TLS its own certificate as client certificate and
   * only the cluster CA as trust; without, the JVM's default trust and no client certificate. Always verifies
   * that the peer's certificate names the host being called.
   */
  public ClientSSLOptions clientOptions() {
    ClientSSLOptions o = new ClientSSLOptions().setHostnameVerificationAlgorithm(HOSTNAME_VERIFICATION);
    if (mutual()) {
      o.setKeyCertOptions(keyCert()).setTrustOptions(trust());
    }
    return o;
  }

  /** True when the files hold the same bytes as {@code other}'s. */
  public boolean sameFiles(TlsMaterial other) {
    return other != null && Arrays.equals(cert, other.cert) && Arrays.equals(key, other.key)
        && Arrays.equals(ca, other.ca);
  }

  private PemKeyCertOptions keyCert() {
    return new PemKeyCertOptions().setCertValue(Buffer.buffer(cert)).setKeyValue(Buffer.buffer(key));
  }

  private PemTrustOptions trust() {
    return new PemTrustOptions().addCertValue(Buffer.buffer(ca));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TlsMaterial m && sameFiles(m);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(cert) * 31 + Arrays.hashCode(key);
  }

  @Override
  public String toString() {
    return "TlsMaterial[" + leaf.getSubjectX500Principal() + ", serial " + leaf.getSerialNumber().toString(16)
        + (mutual() ? ", mutual" : "") + "]";
  }
}
