package io.coedge.security;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * A model version's manifest, {@code MANIFEST.json} in its directory: name, version and each file's relative
 * path, size and sha256. Its canonical bytes are what {@code MANIFEST.sig} signs; its hash names the version's
 * exact content.
 */
public record Manifest(String name, String version, List<FileEntry> files) {

  public static final String FILE = "MANIFEST.json";
  public static final String SIGNATURE_FILE = "MANIFEST.sig";
  static final int MAX_BYTES = 64 * 1024;
  static final int MAX_FILES = 64;

  /** One listed file: a plain name in the version directory (no sub-directories). */
  public record FileEntry(String path, long size, String sha256) {
    public FileEntry {
      if (path == null || !path.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,127}") || size < 0
          || sha256 == null || !sha256.matches("[0-9a-f]{64}")) {
        throw new IllegalArgumentException("manifest entry needs a plain file name, a size and a sha256");
      }
    }
  }

  public Manifest {
    files = files.stream().sorted(Comparator.comparing(FileEntry::path)).toList();
  }

  /** The manifest of every regular file in {@code dir} except the manifest and its signature. */
  public static Manifest of(Path dir, String name, String version) throws IOException {
    List<FileEntry> out = new ArrayList<>();
    for (Path f : contentFiles(dir)) {
      out.add(new FileEntry(f.getFileName().toString(), Files.size(f), sha256(f)));
    }
    return new Manifest(name, version, out);
  }

  /** The files of a version directory that a manifest must list (sorted, manifest files excluded). */
  public static List<Path> contentFiles(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> !p.getFileName().toString().equals(FILE)
              && !p.getFileName().toString().equals(SIGNATURE_FILE))
          .filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) || Files.isSymbolicLink(p))
          .sorted().toList();
    }
  }

  /** The canonical form: compact JSON, keys in a fixed order, files sorted by path. */
  public byte[] canonicalBytes() {
    JsonArray fs = new JsonArray();
    files.forEach(f -> fs.add(new JsonObject().put("path", f.path()).put("size", f.size())
        .put("sha256", f.sha256())));
    return new JsonObject().put("name", name).put("version", version).put("files", fs).encode()
        .getBytes(StandardCharsets.UTF_8);
  }

  /** Parses manifest bytes as found on disk (untrusted: bounded, typed). */
  public static Manifest parse(byte[] bytes) {
    if (bytes.length > MAX_BYTES) {
      throw new IllegalArgumentException(FILE + " is larger than " + MAX_BYTES + " bytes");
    }
    try {
      JsonObject o = new JsonObject(new String(bytes, StandardCharsets.UTF_8));
      JsonArray fs = o.getJsonArray("files");
      if (fs == null || fs.size() > MAX_FILES) {
        throw new IllegalArgumentException(FILE + " needs 'files' (at most " + MAX_FILES + ")");
      }
      List<FileEntry> out = new ArrayList<>();
      for (int i = 0; i < fs.size(); i++) {
        JsonObject f = fs.getJsonObject(i);
        out.add(new FileEntry(f.getString("path"), f.getLong("size", -1L), f.getString("sha256")));
      }
      return new Manifest(o.getString("name"), o.getString("version"), out);
    } catch (DecodeException | ClassCastException e) {
      throw new IllegalArgumentException(FILE + " is not a valid manifest: " + e.getMessage());
    }
  }

  /** Checks that {@code dir} holds exactly the listed files with their sizes and digests. */
  public void check(Path dir) throws IOException {
    List<Path> present = contentFiles(dir);
    if (present.size() != files.size()) {
      throw new IllegalArgumentException("directory has " + present.size() + " files, the manifest lists "
          + files.size());
    }
    for (FileEntry f : files) {
      Path p = dir.resolve(f.path());
      if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
        throw new IllegalArgumentException("manifest lists '" + f.path() + "', which is missing");
      }
      if (Files.size(p) != f.size() || !sha256(p).equals(f.sha256())) {
        throw new IllegalArgumentException("file '" + f.path() + "' does not match its manifest entry");
      }
    }
  }

  public static String sha256(byte[] bytes) {
    return HexFormat.of().formatHex(digest().digest(bytes));
  }

  public static String sha256(Path file) throws IOException {
    MessageDigest d = digest();
    byte[] buf = new byte[64 * 1024];
    try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
      for (int n; (n = in.read(buf)) > 0; ) {
        d.update(buf, 0, n);
      }
    }
    return HexFormat.of().formatHex(d.digest());
  }

  private static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
