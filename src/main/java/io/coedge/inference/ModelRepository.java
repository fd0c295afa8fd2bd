package io.coedge.inference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Scans a Triton-layout repository: {@code <root>/<name>/config.yaml}, {@code <root>/<name>/<n>/model.onnx}.
 * Only lists; {@link ModelLoader} decides whether a version's files may be loaded.
 */
final class ModelRepository {

  /** Model names the repository accepts: they cannot be {@code ..} or carry a path separator. */
  static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  static final String MODEL_FILE = "model.onnx";

  /** A model version on disk; {@code configError} is set when the model's config.yaml is unusable. */
  record Entry(String name, String version, Path dir, ModelConfig config, String configError) {
    Path file() {
      return dir.resolve(SplitParts.file(name));
    }
  }

  /**
   * A model folder: its config and policy (or why they are unusable), and its version folders with a fingerprint of
   * their files (names, sizes, modification times) that tells a version still being written from a settled one.
   */
  record ModelDir(String name, ModelConfig config, VersionPolicy policy, String configError, String configPrint,
      List<VersionDir> versions) {
    Entry entry(VersionDir v) {
      return new Entry(name, v.version(), v.dir(), config, configError);
    }
  }

  record VersionDir(String version, Path dir, String fingerprint) {
    long number() {
      return Long.parseLong(version);
    }
  }

  private ModelRepository() {
  }

  static List<ModelDir> scan(Path root, ModelConfig defaults) throws IOException {
    if (!Files.isDirectory(root)) {
      throw new IOException("model repository " + root.toAbsolutePath() + " is not a directory");
    }
    List<ModelDir> out = new ArrayList<>();
    for (Path dir : sorted(root)) {
      String name = dir.getFileName().toString();
      if (Files.isDirectory(dir) && NAME.matcher(name).matches()) {
        out.add(model(root, name, defaults));
      }
    }
    return out;
  }

  /** One model folder; an unknown or unsafe name is an {@link IllegalArgumentException}. */
  static ModelDir model(Path root, String name, ModelConfig defaults) throws IOException {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("model name '" + name + "' is not allowed (letters, digits, . _ -)");
    }
    Path dir = root.resolve(name);
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("no model '" + name + "' in the repository");
    }
    ModelConfig config = defaults;
    VersionPolicy policy = VersionPolicy.DEFAULT;
    String error = null;
    Path file = dir.resolve("config.yaml");
    try {
      config = ModelConfig.load(file, defaults);
      policy = policy(file);
    } catch (IllegalArgumentException e) {
      error = e.getMessage();
    }
    List<VersionDir> versions = new ArrayList<>();
    for (Path v : sorted(dir)) {
      String version = v.getFileName().toString();
      if (Files.isDirectory(v) && version.matches("\\d{1,18}")) {
        versions.add(new VersionDir(String.valueOf(Long.parseLong(version)), v, fingerprint(v)));
      }
    }
    return new ModelDir(name, config, policy, error, Files.isRegularFile(file) ? stamp(file) : "", versions);
  }

  /**
   * The model an explicit load names, with its config overridden by {@code override} (YAML or JSON, may be null);
   * an unknown model is a 404, a bad name or override a 400.
   */
  static ModelDir requested(Path root, String name, ModelConfig defaults, String override) throws IOException {
    ModelDir m;
    try {
      m = model(root, name, defaults);
    } catch (IllegalArgumentException e) {
      throw e.getMessage().startsWith("no model") ? InferenceException.notFound(e.getMessage())
          : InferenceException.invalid(e.getMessage());
    }
    if (override == null) {
      return m;
    }
    try {
      ModelConfig c = ModelConfig.parse(override.getBytes(StandardCharsets.UTF_8), m.config());
      return new ModelDir(m.name(), c, m.policy(), null, m.configPrint() + "+override", m.versions());
    } catch (IOException | IllegalArgumentException | StackOverflowError e) {
      throw InferenceException.invalid("config override for '" + name + "' is not usable: " + e.getMessage());
    }
  }

  private static VersionPolicy policy(Path file) {
    if (!Files.isRegularFile(file)) {
      return VersionPolicy.DEFAULT;
    }
    try {
      JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(Files.readAllBytes(file));
      return VersionPolicy.parse(root == null ? null : root.get(VersionPolicy.KEY));
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  /** Names, sizes and modification times of a version folder's files: changes while a copy is under way. */
  static String fingerprint(Path versionDir) throws IOException {
    StringBuilder b = new StringBuilder();
    try (Stream<Path> s = Files.list(versionDir)) { // hidden files too: a copy tool's temporary file is a change
      for (Path f : s.sorted().toList()) {
        b.append(stamp(f)).append(';');
      }
    }
    return b.toString();
  }

  private static String stamp(Path f) throws IOException {
    BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    return f.getFileName() + ":" + a.size() + ":" + a.lastModifiedTime().toMillis();
  }

  private static List<Path> sorted(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> !p.getFileName().toString().startsWith(".")).sorted(Comparator.comparing(Path::toString))
          .toList();
    }
  }
}
