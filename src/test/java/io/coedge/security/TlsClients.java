package io.coedge.security;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;

/** HTTPS clients for the TLS tests: Vert.x WebClients with a chosen client certificate, and raw JDK TLS sockets. */
final class TlsClients implements AutoCloseable {

  private final Vertx vertx = Vertx.vertx();

  Vertx vertx() {
    return vertx;
  }

  /** A client trusting {@code ca} for the server, presenting {@code cert} (null = none), speaking {@code version}. */
  WebClient client(int port, Path ca, TestPki.PemPair cert, HttpVersion version) {
    WebClientOptions o = new WebClientOptions().setSsl(true).setDefaultHost("127.0.0.1").setDefaultPort(port)
        .setTrustOptions(new PemTrustOptions().addCertPath(ca.toString())).setProtocolVersion(version)
        .setKeepAlive(false).setSslHandshakeTimeout(60); // a hang bound: 10 s (the default) failed on a busy machine
    if (version == HttpVersion.HTTP_2) {
      o.setUseAlpn(true);
    }
    if (cert != null) {
      o.setKeyCertOptions(new PemKeyCertOptions().setCertPath(cert.cert().toString())
          .setKeyPath(cert.key().toString()));
    }
    return WebClient.create(vertx, o);
  }

  static Future<HttpResponse<Buffer>> infer(WebClient client, String... headers) {
    var req = client.post("/v2/models/add-one/infer").putHeader("content-type", "application/json");
    for (int i = 0; i + 1 < headers.length; i += 2) {
      req.putHeader(headers[i], headers[i + 1]);
    }
    JsonObject body = new JsonObject().put("inputs", new JsonArray().add(new JsonObject().put("name", "x")
        .put("shape", new JsonArray().add(1).add(4)).put("datatype", "FP32")
        .put("data", new JsonArray().add(1).add(2).add(3).add(4))));
    return req.sendBuffer(body.toBuffer());
  }

  /** The messages of {@code e} and all its causes, for assertions on what went wrong deep down. */
  static String causes(Throwable e) {
    StringBuilder b = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      b.append(t).append(" / ");
    }
    return b.toString();
  }

  /** A raw TLS connection (HTTP/1.1, no client certificate) trusting {@code ca}, handshake done. */
  static SSLSocket socket(int port, Path ca) throws Exception {
    return socket(port, ca, null);
  }

  /**
   * As {@link #socket(int, Path)}, presenting {@code client} whatever CAs the server names as acceptable (a JDK or
   * Vert.x client would leave out a certificate the server's CA did not issue; an attacker would not).
   */
  static SSLSocket socket(int port, Path ca, TestPki.Issued client) throws Exception {
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    try (InputStream in = Files.newInputStream(ca)) {
      trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(client == null ? null : new KeyManager[] {new Insistent(client)}, tmf.getTrustManagers(), null);
    SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", port);
    s.setSoTimeout(10_000);
    s.startHandshake();
    return s;
  }

  /** A key manager that always offers its one certificate. */
  private static final class Insistent extends X509ExtendedKeyManager {

    private final TestPki.Issued issued;

    Insistent(TestPki.Issued issued) {
      this.issued = issued;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
      return new String[] {"me"};
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
      return "me";
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
      return "me";
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
      return null;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
      return null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
      return new X509Certificate[] {issued.cert()};
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
      return issued.keys().getPrivate();
    }
  }

  static BigInteger serialOf(SSLSocket s) throws Exception {
    return ((X509Certificate) s.getSession().getPeerCertificates()[0]).getSerialNumber();
  }

  /** Sends {@code GET path} on the open connection and returns the status line. */
  static String get(SSLSocket s, String path) throws Exception {
    OutputStream out = s.getOutputStream();
    out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
    InputStream in = s.getInputStream();
    StringBuilder line = new StringBuilder();
    for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) {
      line.append((char) c);
    }
    return line.toString().trim();
  }

  @Override
  public void close() throws Exception {
    io.coedge.Eventually.await(vertx.close());
  }
}
