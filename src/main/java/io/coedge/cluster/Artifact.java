package io.coedge.cluster;

import java.util.regex.Pattern;

/**
 * One immutable artifact a node holds: a model or data version, identified by the sha256 of its bytes
 * (DESIGN §4). The constructor rejects anything that could not be a map key, so parsed garbage fails here;
 * names and versions start with a letter or digit, so none of them can be {@code ..} if later used in a path.
 *
 * @param kind      {@link #MODEL} or {@link #DATA}
 * @param size      bytes
 * @param signature base64 Ed25519 signature of the bytes, or null when unsigned
 * @param manifest  sha256 of the version's MANIFEST.json, or null when it has none
 * @param signer    id of the trusted key whose signature of that manifest verified on the publisher, or null
 */
public record Artifact(String kind, String name, String version, String sha256, long size, String signature,
    String manifest, String signer) {

  public static final String MODEL = "model";
  public static final String DATA = "data";
  static final int MAX_NAME = 128;
  static final int MAX_VERSION = 64;
  static final int MAX_SIGNATURE = 512;
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0," + (MAX_NAME - 1) + "}");
  private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0," + (MAX_VERSION - 1) + "}");
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern KEY_ID = Pattern.compile("[0-9a-f]{16}");
  private static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/=_-]{1," + MAX_SIGNATURE + "}");

  public Artifact {
    if (!MODEL.equals(kind) && !DATA.equals(kind)) {
      throw new IllegalArgumentException("kind must be model or data");
    }
    check(NAME, name, "name");
    check(VERSION, version, "version");
    check(SHA256, sha256, "sha256 (64 lowercase hex digits)");
    if (size < 0) {
      throw new IllegalArgumentException("size must not be negative");
    }
    if (signature != null) {
      check(BASE64, signature, "signature (base64, at most " + MAX_SIGNATURE + " characters)");
    }
    if (manifest != null) {
      check(SHA256, manifest, "manifest (64 lowercase hex digits)");
    }
    if (signer != null) {
      check(KEY_ID, signer, "signer (16 lowercase hex digits)");
    }
  }

  /** An artifact without manifest facts (records written before manifests existed read as this). */
  public Artifact(String kind, String name, String version, String sha256, long size, String signature) {
    this(kind, name, version, sha256, size, signature, null, null);
  }

  private static void check(Pattern p, String value, String what) {
    if (value == null || !p.matcher(value).matches()) {
      throw new IllegalArgumentException("bad " + what);
    }
  }

  /** The {@code coedge.versions} key: {@code kind/name/version/sha256}. */
  public String key() {
    return kind + '/' + name + '/' + version + '/' + sha256;
  }

  /** A model artifact without signature. */
  public static Artifact model(String name, String version, String sha256, long size) {
    return new Artifact(MODEL, name, version, sha256, size, null);
  }

  /** A model artifact with its manifest hash and signer key id (either may be null). */
  public static Artifact model(String name, String version, String sha256, long size, String manifest,
      String signer) {
    return new Artifact(MODEL, name, version, sha256, size, null, manifest, signer);
  }

  /** True when {@code s} may be a name in the shared tables (the records reject any other). */
  public static boolean validName(String s) {
    return s != null && NAME.matcher(s).matches();
  }

  /** True when {@code s} may be a version in the shared tables. */
  public static boolean validVersion(String s) {
    return s != null && VERSION.matcher(s).matches();
  }

  static boolean validSha256(String s) {
    return s != null && SHA256.matcher(s).matches();
  }
}
