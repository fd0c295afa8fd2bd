package io.coedge.inference;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Scans a Triton-layout repository: {@code <root>/<name>/config.yaml}, {@code <root>/<name>/<n>/model.onnx}. */
final class ModelRepository {

  /** A model version on disk; {@code configError} is set when the model's config.yaml is unusable. */
  record Entry(String name, String version, Path file, ModelConfig config, String configError) {
  }

  private ModelRepository() {
  }

  static List<Entry> scan(Path root, ModelConfig defaults) throws IOException {
    if (!Files.isDirectory(root)) {
      throw new IOException("model repository " + root.toAbsolutePath() + " is not a directory");
    }
    List<Entry> out = new ArrayList<>();
    for (Path dir : sorted(root)) {
      if (!Files.isDirectory(dir) || dir.getFileName().toString().startsWith(".")) {
        continue;
      }
      String name = dir.getFileName().toString();
      ModelConfig config = defaults;
      String error = null;
      try {
        config = ModelConfig.load(dir.resolve("config.yaml"), defaults);
      } catch (IllegalArgumentException e) {
        error = e.getMessage();
      }
      for (Path v : sorted(dir)) {
        String version = v.getFileName().toString();
        if (Files.isDirectory(v) && version.matches("\\d{1,18}") && Files.isRegularFile(v.resolve("model.onnx"))) {
          out.add(new Entry(name, String.valueOf(Long.parseLong(version)), v.resolve("model.onnx"), config, error));
        }
      }
    }
    return out;
  }

  private static List<Path> sorted(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted(Comparator.comparing(Path::toString)).toList();
    }
  }
}
