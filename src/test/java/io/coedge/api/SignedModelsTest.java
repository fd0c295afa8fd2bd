package io.coedge.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coedge.Gateway;
import io.coedge.Http;
import io.coedge.TestNodes;
import io.coedge.security.Manifest;
import io.coedge.security.SignModelTool;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** With signatures required, only versions signed by a trusted key load; the rest stay UNAVAILABLE with a reason. */
@Timeout(120)
class SignedModelsTest {

  @TempDir
  static Path tmp;
  static TempRepository repo;
  static Path key;
  static String keyId;
  static Gateway node;
  static Http http;

  @BeforeAll
  static void start() throws Exception {
    repo = new TempRepository(tmp.resolve("models"));
    key = tmp.resolve("publisher.key");
    String publicKey = SignModelTool.newKey(key);
    keyId = io.coedge.security.ModelSignatures.keyId(io.coedge.security.ModelSignatures.publicKey(publicKey));
    SignModelTool.sign(key, repo.publish("add-one/1", "signed", "1"));
    node = TestNodes.start(repo.toString(), Map.of("inference.model-control", "explicit",
        "security.models.require-signature", "true", "security.models.trusted-keys", publicKey));
    http = new Http(node.port());
  }

  @AfterAll
  static void stop() throws Exception {
    http.close();
    TestNodes.stop(node);
  }

  @Test
  void aSignedVersionLoadsAndTheIndexNamesItsSignerAndManifest() throws Exception {
    JsonObject v = ModelRepositoryApiTest.indexOf(http).getJsonObject("signed/1");
    assertEquals("READY", v.getString("state"));
    assertEquals(keyId, v.getString("signer_key_id"));
    assertEquals(Manifest.sha256(Files.readAllBytes(repo.root.resolve("signed/1").resolve(Manifest.FILE))),
        v.getString("manifest_sha256"));
  }

  @Test
  void aTamperedVersionIsRefusedAndTheOldOneKeepsServing() throws Exception {
    Path v2 = repo.publish("add-one/2", "signed", "2");
    SignModelTool.sign(key, v2);
    Files.copy(TempRepository.TEST_MODELS.resolve("add-one/1/model.onnx"), v2.resolve("model.onnx"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    HttpResponse<Buffer> r = http.post("/v2/repository/models/signed/load", new JsonObject());
    assertEquals(400, r.statusCode());
    assertTrue(r.bodyAsJsonObject().getString("error").contains("does not match its manifest"), r.bodyAsString());
    assertEquals("UNAVAILABLE", ModelRepositoryApiTest.indexOf(http).getJsonObject("signed/2").getString("state"));
    assertEquals("1", ModelSwapTestSupport.served(http, "signed"));
    repo.delete("signed", "2");
  }

  @Test
  void anUnsignedVersionIsRefusedWhenSignaturesAreRequired() throws Exception {
    repo.publish("add-one/1", "unsigned", "1");
    HttpResponse<Buffer> r = http.post("/v2/repository/models/unsigned/load", new JsonObject());
    assertEquals(400, r.statusCode());
    assertTrue(r.bodyAsJsonObject().getString("error").contains("unsigned"), r.bodyAsString());
    assertEquals(404, http.post("/v2/models/unsigned/infer", InferenceApiTest.addOneRequest(1, 2, 3, 4))
        .statusCode());
  }
}
