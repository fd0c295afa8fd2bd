package io.coedge.api;

import io.coedge.Eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coedge.Gateway;
import io.coedge.Http;
import io.coedge.TestNodes;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Poll mode: the test runs each scan itself (the interval is an hour), so what a scan sees is decided by the test,
 * not by timing. Real files, real ONNX Runtime, real HTTP.
 */
@Timeout(120)
class RepositoryPollTest {

  @TempDir
  Path tmp;
  TempRepository repo;
  Gateway node;
  Http http;

  @BeforeEach
  void start() throws Exception {
    repo = new TempRepository(tmp.resolve("models"));
    repo.publish("add-one/1", "polled", "1");
    node = TestNodes.start(repo.toString(), Map.of("inference.model-control", "poll",
        "inference.poll-interval-s", "3600"));
    http = new Http(node.port());
  }

  @AfterEach
  void stop() throws Exception {
    http.close();
    TestNodes.stop(node);
  }

  void scan() {
    Eventually.await(node.engine().control().poll());
  }

  JsonObject index() {
    return ModelRepositoryApiTest.indexOf(http);
  }

  @Test
  void anAtomicallyPublishedVersionServesAfterItSettlesAndTheOldOneRetires() throws Exception {
    assertEquals("1", ModelSwapTestSupport.served(http, "polled"));
    repo.publish("add-one/2", "polled", "2");
    scan(); // first sight: not yet settled
    assertFalse(index().containsKey("polled/2"), index().encode());
    scan();
    assertEquals("READY", index().getJsonObject("polled/2").getString("state"));
    assertEquals("2", ModelSwapTestSupport.served(http, "polled"));
    assertFalse(index().getJsonObject("polled/1").getString("state").equals("READY"), "latest: 1 retires v1");
    assertEquals(400, http.post("/v2/repository/models/polled/load", new JsonObject()).statusCode(),
        "poll mode refuses explicit loads");
  }

  @Test
  void aHalfWrittenVersionIsSkippedUntilItsFilesStopChanging() throws Exception {
    byte[] model = Files.readAllBytes(TempRepository.TEST_MODELS.resolve("add-one/2/model.onnx"));
    Path file = Files.createDirectories(repo.root.resolve("polled/2")).resolve("model.onnx");
    Files.write(file, Arrays.copyOf(model, model.length / 2));
    scan();
    Files.write(file, Arrays.copyOfRange(model, model.length / 2, model.length), StandardOpenOption.APPEND);
    scan(); // changed since the last scan: still skipped, never loaded half-written
    assertFalse(index().containsKey("polled/2"), index().encode());
    assertEquals("1", ModelSwapTestSupport.served(http, "polled"));
    scan();
    assertEquals("READY", index().getJsonObject("polled/2").getString("state"));
    assertEquals("2", ModelSwapTestSupport.served(http, "polled"));
  }

  @Test
  void aChangedConfigReloadsAndARemovedModelUnloads() throws Exception {
    repo.config("polled", "max-batch-size: 3\n");
    scan();
    scan();
    assertEquals(3, http.get("/v2/models/polled/config").bodyAsJsonObject().getInteger("max_batch_size"));
    repo.delete("polled", "1");
    scan();
    assertEquals(404, http.post("/v2/models/polled/infer", InferenceApiTest.addOneRequest(1, 2, 3, 4)).statusCode());
    assertTrue(http.get("/metrics").bodyAsString().contains(
        "coedge_model_state{model=\"polled\",state=\"READY\",version=\"1\"} 0.0"));
  }
}
