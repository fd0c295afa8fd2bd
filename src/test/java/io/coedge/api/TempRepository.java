package io.coedge.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/** A model repository in a temp folder, filled from the committed test models the way a deployer publishes. */
final class TempRepository {

  static final Path TEST_MODELS = Path.of("src/test/resources/test-models");
  final Path root;

  TempRepository(Path root) throws IOException {
    this.root = Files.createDirectories(root);
  }

  /** Publishes {@code from}'s model file as {@code name/version}: written to a hidden folder, then renamed. */
  Path publish(String from, String name, String version) throws IOException {
    Path staging = Files.createDirectories(root.resolve(name).resolve(".staging-" + version));
    Files.copy(TEST_MODELS.resolve(from).resolve("model.onnx"), staging.resolve("model.onnx"),
        StandardCopyOption.REPLACE_EXISTING);
    return Files.move(staging, root.resolve(name).resolve(version), StandardCopyOption.ATOMIC_MOVE);
  }

  void config(String name, String yaml) throws IOException {
    Files.createDirectories(root.resolve(name));
    Files.writeString(root.resolve(name).resolve("config.yaml"), yaml);
  }

  void delete(String name, String version) throws IOException {
    try (Stream<Path> s = Files.walk(root.resolve(name).resolve(version))) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  @Override
  public String toString() {
    return root.toString();
  }
}
