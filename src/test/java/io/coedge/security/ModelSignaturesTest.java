package io.coedge.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Manifest signing and verification with the sign-model tool on real files. */
class ModelSignaturesTest {

  @TempDir
  Path tmp;
  Path dir;
  String publicKey;

  @BeforeEach
  void signedVersion() throws Exception {
    dir = Files.createDirectories(tmp.resolve("repo/add-one/3"));
    Files.copy(Path.of("src/test/resources/test-models/add-one/1/model.onnx"), dir.resolve("model.onnx"));
    String out = SignModel.run(new String[] {"--new-key", tmp.resolve("pub.key").toString()});
    publicKey = out.lines().filter(l -> !l.startsWith("#")).findFirst().orElseThrow();
    String signed = SignModel.run(new String[] {"--key", tmp.resolve("pub.key").toString(), dir.toString()});
    assertTrue(signed.startsWith("signed add-one/3 (1 files)"), signed);
  }

  @Test
  void signModelRoundTripVerifiesWithTheTrustedKey() throws Exception {
    ModelSignatures.Verified v = new ModelSignatures(List.of(publicKey), true).verify(dir, "add-one", "3");
    assertEquals(ModelSignatures.keyId(ModelSignatures.publicKey(publicKey)), v.keyId());
    assertEquals(Manifest.sha256(Files.readAllBytes(dir.resolve(Manifest.FILE))), v.manifestSha256());
    assertEquals(Manifest.sha256(dir.resolve("model.onnx")), v.expected("model.onnx"));
  }

  @Test
  void tamperedFileIsRefused() throws Exception {
    byte[] bytes = Files.readAllBytes(dir.resolve("model.onnx"));
    bytes[bytes.length - 1] ^= 1;
    Files.write(dir.resolve("model.onnx"), bytes);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new ModelSignatures(List.of(publicKey), true).verify(dir, "add-one", "3"));
    assertTrue(e.getMessage().contains("does not match its manifest"), e.getMessage());
  }

  @Test
  void editedManifestFailsTheSignature() throws Exception {
    String m = Files.readString(dir.resolve(Manifest.FILE));
    Files.writeString(dir.resolve(Manifest.FILE), m.replace("\"3\"", "\"4\""));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new ModelSignatures(List.of(publicKey), true).verify(dir, "add-one", "4"));
    assertTrue(e.getMessage().contains("does not verify"), e.getMessage());
  }

  @Test
  void extraFileIsRefused() throws Exception {
    Files.writeString(dir.resolve("extra.onnx"), "x");
    assertThrows(IllegalArgumentException.class,
        () -> new ModelSignatures(List.of(publicKey), true).verify(dir, "add-one", "3"));
  }

  @Test
  void unsignedIsRefusedWhenRequiredAndAcceptedOtherwise() throws Exception {
    Files.delete(dir.resolve(Manifest.SIGNATURE_FILE));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new ModelSignatures(List.of(publicKey), true).verify(dir, "add-one", "3"));
    assertTrue(e.getMessage().startsWith("unsigned"), e.getMessage());
    ModelSignatures.Verified v = new ModelSignatures(List.of(), false).verify(dir, "add-one", "3");
    assertNull(v.keyId());
    assertEquals(Manifest.sha256(dir.resolve("model.onnx")), v.expected("model.onnx"));
  }

  @Test
  void signatureByAnUntrustedKeyIsRefused() throws Exception {
    String other = SignModel.run(new String[] {"--new-key", tmp.resolve("other.key").toString()})
        .lines().filter(l -> !l.startsWith("#")).findFirst().orElseThrow();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new ModelSignatures(List.of(other), false).verify(dir, "add-one", "3"));
    assertTrue(e.getMessage().contains("not trusted"), e.getMessage());
  }

  @Test
  void newKeyNeverOverwritesAndBadKeysAreNamed() {
    assertThrows(IllegalArgumentException.class,
        () -> SignModel.run(new String[] {"--new-key", tmp.resolve("pub.key").toString()}));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new ModelSignatures(List.of("bm90IGEga2V5"), false));
    assertTrue(e.getMessage().contains("Ed25519"));
  }
}
