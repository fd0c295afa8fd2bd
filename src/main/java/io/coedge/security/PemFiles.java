package io.coedge.security;

import io.coedge.config.ConfigException;
import io.coedge.config.TlsConfig;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemKeyCertOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.function.Function;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.X509KeyManager;

/**
 * Reads and checks the PEM files named by {@link TlsConfig}: readable, at least one certificate, a private key
 * Vert.x can load, and a key that belongs to the certificate. Every failure is a {@link ConfigException} naming
 * the key and the path; the message never contains key material.
 */
public final class PemFiles {

  private static final int MAX_BYTES = 1 << 20;

  private PemFiles() {
  }

  /** The files' checked contents, or null when TLS is off. */
  public static TlsMaterial load(TlsConfig config) {
    if (!config.enabled()) {
      return null;
    }
    byte[] cert = read(config.certPath(), config::badCert);
    byte[] key = read(config.keyPath(), config::badKey);
    byte[] ca = config.mutual() ? read(config.caPath(), config::badCa) : null;
    List<X509Certificate> chain = certificates(cert, config::badCert);
    if (ca != null) {
      certificates(ca, config::badCa);
    }
    checkKeyMatches(cert, key, chain.get(0), config::badKey);
    return new TlsMaterial(cert, key, ca, chain.get(0));
  }

  private static byte[] read(String path, Function<String, ConfigException> bad) {
    try {
      Path p = Path.of(path);
      if (!Files.isRegularFile(p)) {
        throw bad.apply("allowed: a readable PEM file; there is no such file");
      }
      if (Files.size(p) > MAX_BYTES) {
        throw bad.apply("allowed: a PEM file of at most " + MAX_BYTES + " bytes");
      }
      return Files.readAllBytes(p);
    } catch (IOException | SecurityException e) {
      throw bad.apply("allowed: a readable PEM file; reading it failed (" + e.getClass().getSimpleName() + ")");
    }
  }

  private static List<X509Certificate> certificates(byte[] pem, Function<String, ConfigException> bad) {
    String text = new String(pem, StandardCharsets.US_ASCII);
    if (!text.contains("-----BEGIN CERTIFICATE-----")) {
      throw bad.apply("allowed: a PEM file with -----BEGIN CERTIFICATE----- blocks; none found");
    }
    if (!text.strip().endsWith("-----")) {
      // Java reads a chain cut in the first line of a later block as the blocks before it, without a word
      throw bad.apply("allowed: PEM blocks up to the last -----END line; the file goes on after it (cut short?)");
    }
    List<X509Certificate> certs;
    try {
      certs = CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem)).stream()
          .map(c -> (X509Certificate) c).toList();
    } catch (GeneralSecurityException | RuntimeException e) {
      throw bad.apply("allowed: PEM X.509 certificates; parsing failed (" + e.getClass().getSimpleName() + ")");
    }
    if (certs.isEmpty()) {
      throw bad.apply("allowed: a PEM file with at least one certificate; none found");
    }
    return certs;
  }

  /** Loads the pair as the server will (Vert.x's PEM reader), then proves the key signs for the certificate. */
  private static void checkKeyMatches(byte[] cert, byte[] key, X509Certificate leaf,
      Function<String, ConfigException> bad) {
    PrivateKey privateKey;
    try {
      // Value-based options never touch Vert.x's file system, so no Vert.x instance is needed here.
      KeyManagerFactory kmf = new PemKeyCertOptions().setCertValue(Buffer.buffer(cert))
          .setKeyValue(Buffer.buffer(key)).getKeyManagerFactory(null);
      privateKey = firstKey((X509KeyManager) kmf.getKeyManagers()[0]);
    } catch (Exception e) {
      throw bad.apply("allowed: a PEM private key (PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY); loading it "
          + "failed (" + e.getClass().getSimpleName() + ")");
    }
    if (!signsFor(privateKey, leaf)) {
      throw bad.apply("allowed: the private key of the certificate file; this key does not match it");
    }
  }

  private static PrivateKey firstKey(X509KeyManager manager) {
    for (String type : new String[] {"RSA", "EC"}) {
      String[] aliases = manager.getServerAliases(type, null);
      if (aliases != null && aliases.length > 0) {
        return manager.getPrivateKey(aliases[0]);
      }
    }
    throw new IllegalArgumentException("no RSA or EC key");
  }

  private static boolean signsFor(PrivateKey key, Certificate cert) {
    String algorithm = switch (key.getAlgorithm()) {
      case "RSA" -> "SHA256withRSA";
      case "EC" -> "SHA256withECDSA";
      default -> null;
    };
    if (algorithm == null) {
      return true;
    }
    try {
      byte[] challenge = new byte[32];
      new SecureRandom().nextBytes(challenge);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(challenge);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(cert.getPublicKey());
      verifier.update(challenge);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}
