package io.coedge.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coedge.Gateway;
import io.coedge.Http;
import io.coedge.TestNodes;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Triton's model repository extension with explicit model control, over real HTTP and real ONNX Runtime. */
@Timeout(120)
class ModelRepositoryApiTest {

  @TempDir
  static Path tmp;
  static TempRepository repo;
  static Gateway node;
  static Http http;

  @BeforeAll
  static void start() throws Exception {
    repo = new TempRepository(tmp.resolve("models"));
    repo.publish("add-one/1", "seed", "1");
    node = TestNodes.start(repo.toString(), Map.of("inference.model-control", "explicit"));
    http = new Http(node.port());
  }

  @AfterAll
  static void stop() throws Exception {
    http.close();
    TestNodes.stop(node);
  }

  static JsonObject index() {
    return indexOf(http);
  }

  /** The repository index keyed by {@code name/version}. */
  static JsonObject indexOf(Http http) {
    JsonObject byKey = new JsonObject();
    JsonArray all = new JsonArray(http.post("/v2/repository/index", new JsonObject()).bodyAsString());
    all.forEach(o -> byKey.put(((JsonObject) o).getString("name") + "/" + ((JsonObject) o).getString("version"), o));
    return byKey;
  }

  static HttpResponse<Buffer> load(String model) {
    return http.post("/v2/repository/models/" + model + "/load", new JsonObject());
  }

  static String servedVersion(String model) {
    return ModelSwapTestSupport.served(http, model);
  }

  @Test
  void loadUnloadAndLoadAgainShowInTheIndex() throws Exception {
    repo.publish("add-one/1", "cycle", "1");
    assertEquals(200, load("cycle").statusCode());
    assertEquals("READY", index().getJsonObject("cycle/1").getString("state"));
    assertEquals("1", servedVersion("cycle"));

    assertEquals(200, http.post("/v2/repository/models/cycle/unload", new JsonObject()).statusCode());
    JsonObject gone = index().getJsonObject("cycle/1");
    assertTrue(gone.getString("state").equals("UNAVAILABLE") || gone.getString("state").equals("UNLOADING"),
        gone.encode());
    assertEquals(404, http.post("/v2/models/cycle/infer", InferenceApiTest.addOneRequest(1, 2, 3, 4)).statusCode());
    assertEquals(503, http.get("/v2/models/cycle/ready").statusCode());

    assertEquals(200, load("cycle").statusCode());
    assertEquals("1", servedVersion("cycle"));
    JsonObject ready = index().getJsonObject("cycle/1");
    assertEquals(64, ready.getString("sha256").length());
    JsonArray readyOnly = new JsonArray(http.post("/v2/repository/index", new JsonObject().put("ready", true))
        .bodyAsString());
    assertTrue(readyOnly.stream().allMatch(o -> ((JsonObject) o).getString("state").equals("READY")));
    assertTrue(http.get("/v2").bodyAsJsonObject().getJsonArray("extensions").contains("model_repository"));
  }

  @Test
  void loadAnswersUnknownModels404AndBadNamesOrBodies400() {
    assertEquals(404, load("no-such-model").statusCode());
    assertTrue(load("no-such-model").bodyAsJsonObject().getString("error").contains("no-such-model"));
    HttpResponse<Buffer> traversal = load("..%2Fetc");
    assertEquals(400, traversal.statusCode(), traversal.bodyAsString());
    assertTrue(traversal.bodyAsJsonObject().getString("error").contains("not allowed"));
    HttpResponse<Buffer> notJson = http.post("/v2/repository/models/seed/load", Buffer.buffer("[1,"),
        io.vertx.core.MultiMap.caseInsensitiveMultiMap().add("content-type", "application/json"));
    assertEquals(400, notJson.statusCode());
    assertEquals(404, http.post("/v2/repository/models/no-such-model/unload", new JsonObject()).statusCode());
  }

  @Test
  void configOverrideThatDoesNotParseOrIsImpossibleIs400AndAGoodOneApplies() throws Exception {
    repo.publish("add-one/1", "tuned", "1");
    HttpResponse<Buffer> bad = http.post("/v2/repository/models/tuned/load", new JsonObject()
        .put("parameters", new JsonObject().put("config", "{\"max-batch-size\": 99999}")));
    assertEquals(400, bad.statusCode());
    assertTrue(bad.bodyAsJsonObject().getString("error").contains("max-batch-size"), bad.bodyAsString());
    assertEquals(400, http.post("/v2/repository/models/tuned/load", new JsonObject()
        .put("parameters", new JsonObject().put("config", "{not yaml: ["))).statusCode());
    assertEquals(400, http.post("/v2/repository/models/tuned/load", new JsonObject()
        .put("parameters", new JsonObject().put("config", 5))).statusCode());

    HttpResponse<Buffer> good = http.post("/v2/repository/models/tuned/load", new JsonObject()
        .put("parameters", new JsonObject().put("config", "{\"max-queue\": 7, \"max-batch-size\": 4}")));
    assertEquals(200, good.statusCode(), good.bodyAsString());
    JsonObject config = http.get("/v2/models/tuned/config").bodyAsJsonObject();
    assertEquals(4, config.getInteger("max_batch_size"));
    assertEquals(7, config.getJsonObject("dynamic_batching").getJsonObject("default_queue_policy")
        .getInteger("max_queue_size"));
  }

  @Test
  void configEndpointAnswersTheEffectiveConfigInTritonsFieldNames() throws Exception {
    repo.config("described", "max-batch-size: 16\nmax-queue-delay-us: 2000\nlabels: [a, b]\n"
        + "version-policy: {specific: [1]}\n");
    repo.publish("add-one/1", "described", "1");
    assertEquals(200, load("described").statusCode());
    JsonObject c = http.get("/v2/models/described/versions/1/config").bodyAsJsonObject();
    assertEquals("described", c.getString("name"));
    assertEquals("onnxruntime_onnx", c.getString("platform"));
    assertEquals(16, c.getInteger("max_batch_size"));
    assertEquals(2000, c.getJsonObject("dynamic_batching").getInteger("max_queue_delay_microseconds"));
    assertEquals(new JsonArray().add(1), c.getJsonObject("version_policy").getJsonObject("specific")
        .getJsonArray("versions"));
    JsonObject input = c.getJsonArray("input").getJsonObject(0);
    assertEquals("x", input.getString("name"));
    assertEquals("TYPE_FP32", input.getString("data_type"));
    assertEquals(new JsonArray().add(4), input.getJsonArray("dims"), "[-1, 4] without the batch dimension");
    assertEquals(new JsonArray().add(4), c.getJsonArray("output").getJsonObject(0).getJsonArray("dims"));
    assertEquals("a,b", c.getJsonObject("parameters").getJsonObject("labels").getString("string_value"));
    assertEquals("local-first", c.getJsonObject("parameters").getJsonObject("policy").getString("string_value"));
    assertEquals(404, http.get("/v2/models/described/versions/9/config").statusCode());
  }

  @Test
  void aFailedLoadKeepsTheOldVersionServingWithTheReasonInTheIndex() throws Exception {
    repo.publish("add-one/1", "keep", "1");
    assertEquals(200, load("keep").statusCode());
    Path v2 = Files.createDirectories(repo.root.resolve("keep/2"));
    Files.writeString(v2.resolve("model.onnx"), "this is not an ONNX model");
    HttpResponse<Buffer> r = load("keep");
    assertEquals(400, r.statusCode());
    assertTrue(r.bodyAsJsonObject().getString("error").contains("version 2"), r.bodyAsString());
    JsonObject failed = index().getJsonObject("keep/2");
    assertEquals("UNAVAILABLE", failed.getString("state"));
    assertTrue(!failed.getString("reason").isEmpty(), failed.encode());
    assertEquals("READY", index().getJsonObject("keep/1").getString("state"));
    assertEquals("1", servedVersion("keep"));
    assertTrue(http.get("/metrics").bodyAsString().contains(
        "coedge_model_loads_total{model=\"keep\",result=\"failure\"}"));
  }

  @Test
  void versionsThatLeaveTheRepositoryOrAreTooLargeAreRefusedAndTheNodeStaysReady() throws Exception {
    Path outside = Files.createDirectories(tmp.resolve("outside/1"));
    Files.copy(TempRepository.TEST_MODELS.resolve("add-one/1/model.onnx"), outside.resolve("model.onnx"));
    Files.createDirectories(repo.root.resolve("linked-dir"));
    Files.createSymbolicLink(repo.root.resolve("linked-dir/1"), outside);
    assertRefused("linked-dir", "leaves the repository");

    Path v = Files.createDirectories(repo.root.resolve("linked-file/1"));
    Files.createSymbolicLink(v.resolve("model.onnx"), outside.resolve("model.onnx"));
    assertRefused("linked-file", "leaves the repository");

    Path big = Files.createDirectories(repo.root.resolve("huge/1")).resolve("model.onnx");
    try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
      f.setLength(2L << 30); // sparse: 2 GB that take no disk
    }
    assertRefused("huge", "more than the limit");
    assertEquals(200, http.get("/v2/health/ready").statusCode());
    assertEquals("1", servedVersion("seed"));
  }

  private static void assertRefused(String model, String why) {
    HttpResponse<Buffer> r = load(model);
    assertEquals(400, r.statusCode(), r.bodyAsString());
    assertTrue(r.bodyAsJsonObject().getString("error").contains(why), r.bodyAsString());
    assertEquals("UNAVAILABLE", index().getJsonObject(model + "/1").getString("state"));
  }
}
