package io.coedge.security;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Ed25519 signatures over a version's {@link Manifest}: {@code MANIFEST.sig} is
 * {@code {"key-id": "<16 hex>", "signature": "<base64 over the exact MANIFEST.json bytes>"}}. Verifies a version
 * directory before any of its bytes reach ONNX Runtime. Keys are never logged; only their ids.
 */
public final class ModelSignatures {

  /** What a verified (or unsigned but allowed) version carries: null fields when there was no manifest. */
  public record Verified(Manifest manifest, String manifestSha256, String keyId) {
    public static final Verified NONE = new Verified(null, null, null);

    /** The sha256 the manifest lists for {@code file}, or null without a manifest. */
    public String expected(String file) {
      return manifest == null ? null : manifest.files().stream().filter(f -> f.path().equals(file))
          .map(Manifest.FileEntry::sha256).findFirst().orElse(null);
    }
  }

  private final Map<String, PublicKey> trusted;
  private final boolean required;

  /** {@code trustedKeys}: base64 X.509 (or PEM) Ed25519 public keys. */
  public ModelSignatures(List<String> trustedKeys, boolean required) {
    Map<String, PublicKey> keys = new LinkedHashMap<>();
    for (String k : trustedKeys) {
      PublicKey key = publicKey(k);
      keys.put(keyId(key), key);
    }
    this.trusted = Map.copyOf(keys);
    this.required = required;
  }

  public boolean required() {
    return required;
  }

  /**
   * Checks {@code dir} as the version {@code name}/{@code version}: with a manifest, every file must match it and
   * a signature, if present, must verify against a trusted key; without one, only when signatures are not required.
   *
   * @throws IllegalArgumentException with the reason the version is refused
   */
  public Verified verify(Path dir, String name, String version) throws IOException {
    Path mf = dir.resolve(Manifest.FILE);
    Path sig = dir.resolve(Manifest.SIGNATURE_FILE);
    if (!Files.isRegularFile(mf)) {
      if (required) {
        throw new IllegalArgumentException("unsigned: no " + Manifest.FILE + " and signatures are required");
      }
      return Verified.NONE;
    }
    byte[] bytes = readBounded(mf, Manifest.MAX_BYTES);
    String keyId = null;
    if (Files.isRegularFile(sig)) {
      keyId = checkSignature(bytes, readBounded(sig, 4096));
    } else if (required) {
      throw new IllegalArgumentException("unsigned: no " + Manifest.SIGNATURE_FILE + " and signatures are required");
    }
    Manifest m = Manifest.parse(bytes);
    if (!name.equals(m.name()) || !version.equals(m.version())) {
      throw new IllegalArgumentException("manifest names " + m.name() + "/" + m.version() + ", not " + name + "/"
          + version);
    }
    m.check(dir);
    return new Verified(m, Manifest.sha256(bytes), keyId);
  }

  private String checkSignature(byte[] manifest, byte[] sigFile) {
    JsonObject o;
    try {
      o = new JsonObject(new String(sigFile, StandardCharsets.UTF_8));
    } catch (DecodeException e) {
      throw new IllegalArgumentException(Manifest.SIGNATURE_FILE + " is not JSON");
    }
    String keyId = o.getValue("key-id") instanceof String s ? s : "";
    PublicKey key = trusted.get(keyId);
    if (key == null) {
      throw new IllegalArgumentException("signed by key '" + clip(keyId) + "', which is not trusted");
    }
    try {
      Signature v = Signature.getInstance("Ed25519");
      v.initVerify(key);
      v.update(manifest);
      if (!(o.getValue("signature") instanceof String s) || !v.verify(Base64.getDecoder().decode(s))) {
        throw new IllegalArgumentException("signature does not verify against key " + keyId);
      }
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalArgumentException("signature does not verify against key " + keyId);
    }
    return keyId;
  }

  /** {@code MANIFEST.sig}'s content for {@code manifest} signed with {@code key}. */
  public static String sign(byte[] manifest, PrivateKey key, PublicKey pub) throws GeneralSecurityException {
    Signature s = Signature.getInstance("Ed25519");
    s.initSign(key);
    s.update(manifest);
    return new JsonObject().put("key-id", keyId(pub))
        .put("signature", Base64.getEncoder().encodeToString(s.sign())).encode();
  }

  /** A short id of a public key: the first 16 hex digits of the sha256 of its raw 32 bytes. */
  public static String keyId(PublicKey key) {
    byte[] der = key.getEncoded();
    return Manifest.sha256(Arrays.copyOfRange(der, der.length - 32, der.length)).substring(0, 16);
  }

  /** Parses a base64 X.509 or PEM Ed25519 public key. */
  public static PublicKey publicKey(String text) {
    String b64 = text.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    try {
      return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(Base64.getDecoder()
          .decode(b64)));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalArgumentException("not a base64 or PEM Ed25519 public key");
    }
  }

  private static byte[] readBounded(Path file, int max) throws IOException {
    if (Files.size(file) > max) {
      throw new IllegalArgumentException(file.getFileName() + " is larger than " + max + " bytes");
    }
    return Files.readAllBytes(file);
  }

  private static String clip(String s) {
    return s.length() <= 32 ? s : s.substring(0, 32) + "…";
  }
}
