package io.coedge.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Signs a model version directory (the {@code sign-model} tool):
 * <pre>
 * java -cp target/coedge.jar io.coedge.security.SignModel --new-key publisher.key
 * java -cp target/coedge.jar io.coedge.security.SignModel --key publisher.key models/sensor-anomaly/2
 * </pre>
 * The first writes a fresh Ed25519 key pair to a file only its owner may read and prints the public key (for
 * {@code security.models.trusted-keys}) and its id; the second writes {@code MANIFEST.json} (every file's size and
 * sha256) and {@code MANIFEST.sig} into the directory, named after its parent (model) and itself (version).
 */
public final class SignModel {

  private static final Pattern PEM = Pattern.compile("-----BEGIN ([A-Z ]+)-----([^-]+)-----END \\1-----");

  private SignModel() {
  }

  public static void main(String[] args) {
    try {
      System.out.print(run(args));
    } catch (IllegalArgumentException | IOException | GeneralSecurityException e) {
      System.err.println("sign-model: " + e.getMessage());
      System.exit(2);
    }
  }

  static String run(String[] args) throws IOException, GeneralSecurityException {
    if (args.length == 2 && args[0].equals("--new-key")) {
      return newKey(Path.of(args[1]));
    }
    if (args.length == 3 && args[0].equals("--key")) {
      return sign(Path.of(args[1]), Path.of(args[2]));
    }
    throw new IllegalArgumentException("usage: sign-model --new-key FILE | sign-model --key FILE VERSION_DIR");
  }

  private static String newKey(Path file) throws IOException, GeneralSecurityException {
    if (Files.exists(file)) {
      throw new IllegalArgumentException(file + " exists; not overwriting a key");
    }
    KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    String pub = Base64.getEncoder().encodeToString(pair.getPublic().getEncoded());
    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(file, pem("PRIVATE KEY", pair.getPrivate().getEncoded()) + pem("PUBLIC KEY",
        pair.getPublic().getEncoded()));
    return "# key id " + ModelSignatures.keyId(pair.getPublic()) + "; add to security.models.trusted-keys:\n"
        + pub + "\n";
  }

  private static String sign(Path keyFile, Path dir) throws IOException, GeneralSecurityException {
    if (!Files.isDirectory(dir) || dir.toAbsolutePath().getParent() == null) {
      throw new IllegalArgumentException(dir + " is not a model version directory");
    }
    String text = Files.readString(keyFile, StandardCharsets.US_ASCII);
    PrivateKey key = null;
    PublicKey pub = null;
    for (Matcher m = PEM.matcher(text); m.find(); ) {
      byte[] der = Base64.getMimeDecoder().decode(m.group(2));
      if (m.group(1).equals("PRIVATE KEY")) {
        key = KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der));
      } else if (m.group(1).equals("PUBLIC KEY")) {
        pub = ModelSignatures.publicKey(Base64.getEncoder().encodeToString(der));
      }
    }
    if (key == null || pub == null) {
      throw new IllegalArgumentException(keyFile + " is not a key file written by sign-model --new-key");
    }
    Path abs = dir.toAbsolutePath().normalize();
    Manifest m = Manifest.of(abs, abs.getParent().getFileName().toString(), abs.getFileName().toString());
    byte[] bytes = m.canonicalBytes();
    Files.write(abs.resolve(Manifest.FILE), bytes);
    Files.writeString(abs.resolve(Manifest.SIGNATURE_FILE), ModelSignatures.sign(bytes, key, pub));
    return "signed " + m.name() + "/" + m.version() + " (" + m.files().size() + " files) with key "
        + ModelSignatures.keyId(pub) + "; manifest sha256 " + Manifest.sha256(bytes) + "\n";
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }
}
