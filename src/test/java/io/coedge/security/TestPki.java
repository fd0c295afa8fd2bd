package io.coedge.security;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates made at test time (nothing committed): a CA and the certificates it issues, EC P-256, validity
 * relative to now, written as PEM files the way an operator would hand them to a node.
 */
final class TestPki {

  private static final SecureRandom RANDOM = new SecureRandom();

  private TestPki() {
  }

  /** A certificate and its key. */
  record Issued(X509Certificate cert, KeyPair keys) {

    BigInteger serial() {
      return cert.getSerialNumber();
    }

    /** Writes {@code <dir>/<name>.crt} and {@code .key}, each replaced atomically (a reload sees whole files). */
    PemPair write(Path dir, String name) throws IOException {
      Path crt = dir.resolve(name + ".crt");
      Path key = dir.resolve(name + ".key");
      replace(key, pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
      replace(crt, pem("CERTIFICATE", encoded(cert)));
      return new PemPair(crt, key);
    }
  }

  /** The paths of one written pair. */
  record PemPair(Path cert, Path key) {
  }

  /** A certificate authority that can issue node certificates. */
  record Ca(Issued self) {

    /** Writes the CA certificate to {@code <dir>/<name>.crt}. */
    Path write(Path dir, String name) throws IOException {
      Path crt = dir.resolve(name + ".crt");
      replace(crt, pem("CERTIFICATE", encoded(self.cert())));
      return crt;
    }

    /** A node certificate valid from now for a day, for 127.0.0.1 and localhost (server and client use). */
    Issued node(String cn) {
      return issue(cn, Instant.now().minus(Duration.ofMinutes(5)), Instant.now().plus(Duration.ofDays(1)));
    }

    /** A node certificate that expired yesterday. */
    Issued expired(String cn) {
      return issue(cn, Instant.now().minus(Duration.ofDays(3)), Instant.now().minus(Duration.ofDays(1)));
    }

    Issued issue(String cn, Instant from, Instant to) {
      return issue(cn, from, to, List.of("localhost"), List.of("127.0.0.1"));
    }

    /** A node certificate naming only {@code dnsNames} and {@code ips}, valid from now for a day. */
    Issued named(String cn, List<String> dnsNames, List<String> ips) {
      return issue(cn, Instant.now().minus(Duration.ofMinutes(5)), Instant.now().plus(Duration.ofDays(1)), dnsNames,
          ips);
    }

    private Issued issue(String cn, Instant from, Instant to, List<String> dnsNames, List<String> ips) {
      try {
        KeyPair keys = keyPair();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(self.cert(), serial(), Date.from(from),
            Date.from(to), new X500Principal("CN=" + cn + ",O=coedge-test"), keys.getPublic());
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
        b.addExtension(Extension.extendedKeyUsage, false,
            new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
        List<GeneralName> names = new ArrayList<>();
        dnsNames.forEach(n -> names.add(new GeneralName(GeneralName.dNSName, n)));
        ips.forEach(n -> names.add(new GeneralName(GeneralName.iPAddress, n)));
        b.addExtension(Extension.subjectAlternativeName, false,
            new GeneralNames(names.toArray(GeneralName[]::new)));
        b.addExtension(Extension.authorityKeyIdentifier, false,
            ext.createAuthorityKeyIdentifier(self.cert()));
        b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
        return new Issued(sign(b, self.keys()), keys);
      } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** A self-signed CA valid from an hour ago for a week. */
  static Ca ca(String name) {
    try {
      KeyPair keys = keyPair();
      X500Principal subject = new X500Principal("CN=" + name + ",O=coedge-test");
      X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, serial(),
          Date.from(Instant.now().minus(Duration.ofHours(1))), Date.from(Instant.now().plus(Duration.ofDays(7))),
          subject, keys.getPublic());
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      b.addExtension(Extension.subjectKeyIdentifier, false,
          new JcaX509ExtensionUtils().createSubjectKeyIdentifier(keys.getPublic()));
      return new Ca(new Issued(sign(b, keys), keys));
    } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException(e);
    }
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, KeyPair issuer)
      throws OperatorCreationException, GeneralSecurityException {
    return new JcaX509CertificateConverter()
        .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuer.getPrivate())));
  }

  private static KeyPair keyPair() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
    return g.generateKeyPair();
  }

  private static BigInteger serial() {
    return new BigInteger(64, RANDOM).add(BigInteger.ONE);
  }

  private static byte[] encoded(X509Certificate cert) {
    try {
      return cert.getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  private static void replace(Path target, String content) throws IOException {
    Path tmp = Files.createTempFile(target.getParent(), ".pem", ".tmp");
    Files.writeString(tmp, content, StandardCharsets.US_ASCII);
    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
