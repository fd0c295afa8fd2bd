package io.coedge.security;

import io.coedge.config.HttpConfig;
import io.coedge.config.TlsConfig;
import io.vertx.core.http.HttpServerOptions;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Date;
import java.util.logging.Logger;

/** What a node's start does about transport security before any port opens: load the files, warn what is weak. */
public final class TlsSetup {

  private static final Logger LOG = Logger.getLogger(TlsSetup.class.getName());

  private TlsSetup() {
  }

  /**
   * Loads and checks the PEM files (a bad one throws a {@code ConfigException} naming the key); warns when the
   * port will serve plain HTTP beyond loopback, or the certificate is outside its validity period.
   *
   * @return the material, or null for plain HTTP
   */
  public static TlsMaterial prepare(HttpConfig http, TlsConfig tls) {
    TlsMaterial material = PemFiles.load(tls);
    if (material == null) {
      if (!loopback(http.host())) {
        LOG.warning("http.host is " + http.host() + " (not loopback) and TLS is off: requests and answers cross "
            + "the network in plain text; set security.tls.cert and security.tls.key to serve HTTPS");
      }
      return null;
    }
    Date now = new Date();
    if (now.after(material.leaf().getNotAfter()) || now.before(material.leaf().getNotBefore())) {
      LOG.warning("the certificate in security.tls.cert is valid only from " + material.leaf().getNotBefore()
          + " to " + material.leaf().getNotAfter() + ": clients will refuse it");
    }
    LOG.info("HTTPS on the HTTP port with " + material.leaf().getSubjectX500Principal()
        + (material.mutual() ? "; mutual TLS with the cluster CA for node-to-node calls" : ""));
    return material;
  }

  static boolean loopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /** The HTTP listener's options: {@code base} as is without TLS, else with HTTPS (and client certificates). */
  public static HttpServerOptions serverOptions(HttpServerOptions base, TlsMaterial tls) {
    return tls == null ? base : tls.applyTo(base);
  }
}
