package io.coedge.bench;

import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * How the generator reaches the server: plain HTTP/1.1, or HTTPS trusting one CA (optionally presenting a client
 * certificate, for mutual TLS) over HTTP/1.1 or HTTP/2 (ALPN). Connections are kept alive either way, so a TLS
 * handshake is paid once per connection, not per request.
 *
 * @param ca            PEM CA certificate to trust; null = plain HTTP
 * @param clientCert    PEM client certificate for mutual TLS, or null
 * @param clientKey     its PEM private key, or null
 * @param h2            HTTP/2 over TLS instead of HTTP/1.1
 * @param h2Connections with HTTP/2: how many connections the streams are spread over (each its own client, so
 *                      that the server's event loops share the work as they do for many HTTP/1.1 connections)
 */
record Transport(Path ca, Path clientCert, Path clientKey, boolean h2, int h2Connections) {

  /** Options of {@link #of}; {@code h2} is a flag without a value. */
  static final Set<String> OPTIONS = Set.of("https", "client-cert", "client-key", "h2-connections");
  static final Set<String> FLAGS = Set.of("h2");
  static final String USAGE = "[--https CA_FILE [--client-cert FILE --client-key FILE] [--h2 [--h2-connections N]]]";

  static final int DEFAULT_H2_CONNECTIONS = 2;

  Transport {
    if ((clientCert == null) != (clientKey == null)) {
      throw new IllegalArgumentException("--client-cert and --client-key go together");
    }
    if (ca == null && (clientCert != null || h2)) {
      throw new IllegalArgumentException("--client-cert/--client-key and --h2 need --https CA_FILE");
    }
    if (h2 && h2Connections < 1) {
      throw new IllegalArgumentException("--h2-connections " + h2Connections + ": allowed 1 or more");
    }
  }

  /** Reads the transport options and checks them against the URL's scheme. */
  static Transport of(BenchArgs a, URI url) {
    Path ca = file(a, "https");
    Transport t = new Transport(ca, file(a, "client-cert"), file(a, "client-key"), a.has("h2"),
        a.integer("h2-connections", DEFAULT_H2_CONNECTIONS, 1, 64));
    boolean https = "https".equalsIgnoreCase(url.getScheme());
    if (https != t.tls()) {
      throw new IllegalArgumentException("--url " + url + ": " + (https
          ? "an https URL needs --https CA_FILE (the CA that signed the server's certificate)"
          : "--https is given, so the URL must start with https://"));
    }
    return t;
  }

  boolean tls() {
    return ca != null;
  }

  /** A short name for the results: {@code http/1.1}, {@code https/1.1}, {@code https/2}, plus {@code +mtls}. */
  String describe() {
    return (tls() ? "https" : "http") + (h2 ? "/2" : "/1.1") + (clientCert != null ? "+mtls" : "");
  }

  /**
   * Client options for one connection pool: keep-alive, no pipelining, TCP_NODELAY; with TLS the CA as the only
   * trust and host verification on (the server's certificate must name the URL's host).
   */
  HttpClientOptions clientOptions() {
    HttpClientOptions o = new HttpClientOptions().setKeepAlive(true).setPipelining(false).setTcpNoDelay(true)
        .setKeepAliveTimeout(120);
    if (tls()) {
      o.setSsl(true).setVerifyHost(true).setTrustOptions(new PemTrustOptions().addCertPath(ca.toString()));
      if (clientCert != null) {
        o.setKeyCertOptions(new PemKeyCertOptions().setCertPath(clientCert.toString())
            .setKeyPath(clientKey.toString()));
      }
    }
    if (h2) {
      o.setProtocolVersion(HttpVersion.HTTP_2).setUseAlpn(true).setHttp2KeepAliveTimeout(120);
    } else {
      o.setProtocolVersion(HttpVersion.HTTP_1_1);
    }
    return o;
  }

  private static Path file(BenchArgs a, String key) {
    if (!a.has(key)) {
      return null;
    }
    Path p = Path.of(a.string(key, null));
    if (!Files.isReadable(p)) {
      throw new IllegalArgumentException("--" + key + " " + p + ": not a readable file");
    }
    return p;
  }
}
