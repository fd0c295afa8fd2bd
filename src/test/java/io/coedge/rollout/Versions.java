package io.coedge.rollout;

import io.coedge.security.Manifest;
import io.coedge.security.ModelSignatures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.Random;

/** Signed model versions for rollout tests: a real ONNX file, an optional data file, manifest and signature. */
final class Versions {

  private final byte[] model;
  private final KeyPair keys;

  Versions(Path onnx) throws Exception {
    this.model = Files.readAllBytes(onnx);
    this.keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
  }

  String publicKey() {
    return Base64.getEncoder().encodeToString(keys.getPublic().getEncoded());
  }

  /** Writes {@code models/name/version} with {@code dataBytes} of seeded random data (none if 0); returns the manifest sha256. */
  String make(Path models, String name, String version, int dataBytes) throws Exception {
    return make(models, name, version, dataBytes, model);
  }

  /** A signed data artifact bound to {@code model}: {@code models/.data/model/version/labels.txt}; its manifest's sha256. */
  String makeData(Path models, String model, String version, String labels) throws Exception {
    Path dir = Files.createDirectories(models.resolve(FleetRollout.DATA).resolve(model).resolve(version));
    Files.writeString(dir.resolve("labels.txt"), labels);
    return sign(dir, model, version);
  }

  /** The same, signed with the same key, with another ONNX file's bytes (a version that must fail validation). */
  String make(Path models, String name, String version, Path onnx) throws Exception {
    return make(models, name, version, 0, Files.readAllBytes(onnx));
  }

  private String make(Path models, String name, String version, int dataBytes, byte[] model) throws Exception {
    Path dir = Files.createDirectories(models.resolve(name).resolve(version));
    Files.write(dir.resolve("model.onnx"), model);
    if (dataBytes > 0) {
      byte[] data = new byte[dataBytes];
      new Random(dataBytes).nextBytes(data);
      Files.write(dir.resolve("table.bin"), data);
    }
    return sign(dir, name, version);
  }

  private String sign(Path dir, String name, String version) throws Exception {
    byte[] manifest = Manifest.of(dir, name, version).canonicalBytes();
    Files.write(dir.resolve(Manifest.FILE), manifest);
    Files.writeString(dir.resolve(Manifest.SIGNATURE_FILE), ModelSignatures.sign(manifest, keys.getPrivate(),
        keys.getPublic()));
    return Manifest.sha256(manifest);
  }
}
