package io.coedge.inference;

import ai.onnxruntime.OrtEnvironment;
import io.coedge.security.Manifest;
import io.coedge.security.ModelSignatures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Turns a version folder into a warmed-up ONNX Runtime session, refusing before any byte reaches ONNX Runtime:
 * a folder or file that leaves the repository (symlink), a model file over {@link #MAX_MODEL_BYTES}, a manifest or
 * signature that does not verify, bytes that changed while being read. Blocking: runs on the loading threads.
 */
final class ModelLoader {

  /** Largest model file loaded: ONNX Runtime Java takes the model as one byte array, and edge boxes have 1-4 GB. */
  static final long MAX_MODEL_BYTES = 1L << 30;

  /** A session ready to take traffic and the facts about its bytes. */
  record Result(OnnxModel model, String sha256, long size, ModelSignatures.Verified verified) {
  }

  private final Path root;
  private final ModelSignatures signatures;
  private final int intraOpThreads;

  ModelLoader(Path root, ModelSignatures signatures, int intraOpThreads) {
    this.root = root;
    this.signatures = signatures;
    this.intraOpThreads = intraOpThreads;
  }

  /**
   * Checks, verifies, loads and warms up one version.
   *
   * @throws IllegalArgumentException with the reason a version is refused
   */
  Result load(OrtEnvironment env, ModelRepository.Entry e) throws Exception {
    if (e.configError() != null) {
      throw new IllegalArgumentException("bad config.yaml: " + e.configError());
    }
    Path file = e.file();
    String fileName = file.getFileName().toString();
    confine(e.dir());
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("no " + fileName + " in " + SplitParts.base(e.name()) + "/" + e.version());
    }
    long size = Files.size(file);
    if (size > MAX_MODEL_BYTES) {
      throw new IllegalArgumentException(fileName + " has " + size + " bytes, more than the limit of "
          + MAX_MODEL_BYTES);
    }
    ModelSignatures.Verified verified = signatures.verify(e.dir(), SplitParts.base(e.name()), e.version());
    byte[] bytes = Files.readAllBytes(file);
    String sha256 = Manifest.sha256(bytes);
    String expected = verified.expected(fileName);
    if (bytes.length != size || (verified.manifest() != null && !sha256.equals(expected))) {
      throw new IllegalArgumentException(fileName + " changed while it was being loaded");
    }
    OnnxModel model = OnnxModel.load(env, e.name(), e.version(), bytes, e.config(), intraOpThreads);
    try {
      model.warmUp();
    } catch (Exception | Error ex) {
      model.close();
      throw new IllegalArgumentException("warm-up inference failed: " + ex.getMessage(), ex);
    }
    return new Result(model, sha256, bytes.length, verified);
  }

  /** Refuses a version folder, or a file in it, whose real location is outside the repository. */
  private void confine(Path dir) throws IOException {
    Path real = root.toRealPath();
    if (!dir.toRealPath().startsWith(real)) {
      throw new IllegalArgumentException("version folder leaves the repository (symlink)");
    }
    try (Stream<Path> s = Files.list(dir)) {
      for (Path f : s.toList()) {
        if (Files.isSymbolicLink(f) && (!Files.exists(f) || !f.toRealPath().startsWith(real))) {
          throw new IllegalArgumentException("'" + f.getFileName() + "' is a symlink that leaves the repository");
        }
        if (!Files.isRegularFile(f) && !Files.isDirectory(f, LinkOption.NOFOLLOW_LINKS)) {
          throw new IllegalArgumentException("'" + f.getFileName() + "' is not a regular file");
        }
      }
    }
  }
}
