package io.coedge.rollout;

import io.coedge.security.Manifest;
import io.coedge.security.ModelSignatures;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Moves a fetched version from {@code <models>/.staging/<model>/<version>} into the repository once its manifest
 * signature and every file's sha256 verify ({@link ModelSignatures}, the same check a load makes), with one atomic
 * rename, so the repository never holds a half-copied or unverified version.
 */
public final class VersionInstaller {

  public static final String STAGING = ".staging";
  public static final String RETIRED = ".retired";
  private final Vertx vertx;
  private final Path models;
  private final Path staging;
  private final ModelSignatures signatures;

  public VersionInstaller(Vertx vertx, Path models, ModelSignatures signatures) {
    this(vertx, models, models.resolve(STAGING), signatures);
  }

  /** An installer into {@code root} (e.g. {@code models/.data} for data artifacts) staging under {@code staging}. */
  public VersionInstaller(Vertx vertx, Path root, Path staging, ModelSignatures signatures) {
    this.vertx = vertx;
    this.models = root;
    this.staging = staging;
    this.signatures = signatures;
  }

  /** Where {@code model/version} is staged while it is fetched. */
  public Path staging(String model, String version) {
    return staging.resolve(model).resolve(version);
  }

  /** True when the repository already holds {@code model/version} with exactly this manifest. */
  public Future<Boolean> installed(String model, String version, String manifestSha256) {
    return vertx.executeBlocking(() -> {
      Path mf = models.resolve(model).resolve(version).resolve(Manifest.FILE);
      return Files.isRegularFile(mf) && Manifest.sha256(Files.readAllBytes(mf)).equals(manifestSha256);
    });
  }

  /**
   * Verifies the staged copy (signature, then every file) and renames it into the repository.
   *
   * @return the key id that signed it, or null when unsigned and allowed
   */
  public Future<String> install(String model, String version, String manifestSha256) {
    return vertx.executeBlocking(() -> {
      Path staged = staging(model, version);
      ModelSignatures.Verified v = signatures.verify(staged, model, version);
      if (v.manifest() == null || !manifestSha256.equals(v.manifestSha256())) {
        throw new IllegalStateException("the staged manifest is not the rollout's");
      }
      Path target = models.resolve(model).resolve(version);
      if (Files.exists(target)) {
        throw new IllegalStateException("the repository already has " + model + "/" + version
            + " with other content; remove it or roll out another version");
      }
      Files.createDirectories(target.getParent());
      try {
        Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        throw new IllegalStateException("could not move the verified version into the repository: " + e);
      }
      return v.keyId();
    });
  }

  /**
   * Moves {@code model/version} out of the repository into {@code .retired} when it holds exactly this manifest,
   * so the model's version policy no longer picks it (a rolled-back version); true when it moved.
   */
  public Future<Boolean> retire(String model, String version, String manifestSha256) {
    return installed(model, version, manifestSha256).compose(have -> !have ? Future.succeededFuture(false)
        : vertx.executeBlocking(() -> {
          Path to = models.resolve(RETIRED).resolve(model).resolve(version + "-" + System.currentTimeMillis());
          Files.createDirectories(to.getParent());
          Files.move(models.resolve(model).resolve(version), to, StandardCopyOption.ATOMIC_MOVE);
          return true;
        }));
  }
}
