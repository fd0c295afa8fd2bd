package io.coedge.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Model problems are logged with the file and the reason, "ready" only when ready; JSON logs are JSON. */
@Timeout(120)
class ModelProblemsLogIT {

  private static final Map<String, String> NO_CLUSTER = Map.of("COEDGE_CLUSTER_ENABLED", "false",
      "COEDGE_LOG_FORMAT", "json");

  @TempDir
  Path models;

  @Test
  void brokenAndMisplacedModelsAreNamedAndTheNodeDoesNotSayReady() throws Exception {
    Path broken = Files.createDirectories(models.resolve("broken/1")).resolve("model.onnx");
    Files.copy(Path.of("src/test/resources/test-models/broken/1/model.onnx"), broken);
    Path loose = Files.createDirectories(models.resolve("loose")).resolve("model.onnx");
    Files.copy(Path.of("src/test/resources/test-models/add-one/1/model.onnx"), loose);
    List<JsonObject> log = startAndReadLog();
    assertTrue(has(log, "WARNING", loose + " is not loaded", models.resolve("loose/1/model.onnx").toString()), "" + log);
    assertTrue(has(log, "SEVERE", broken + ") is not served: "), "" + log);
    assertTrue(has(log, "WARNING", "NOT ready; failing checks: [models]"), "" + log);
    assertFalse(has(log, "INFO", "ready on "), "no 'ready' line:\n" + log);
  }

  @Test
  void anEmptyRepositoryIsSaidToHoldNoModel() throws Exception {
    List<JsonObject> log = startAndReadLog();
    assertTrue(has(log, "WARNING", "holds no model"), "" + log);
    assertFalse(has(log, "INFO", "ready on "), "" + log);
  }

  /** Starts the jar on {@link #models}, waits for the node's start line, checks readiness is false. */
  private List<JsonObject> startAndReadLog() throws Exception {
    int port = JarProcess.freePort();
    try (JarProcess p = JarProcess.start(NO_CLUSTER, "--port", Integer.toString(port), "--models",
        models.toString())) {
      String base = "http://127.0.0.1:" + port;
      p.awaitOk(base + "/v2/health/live");
      HttpResponse<String> ready = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base
          + "/v2/health/ready")).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(503, ready.statusCode(), ready.body());
      // The start line follows the listener's bind: wait for it by watching the log, not a clock.
      assertTrue(JarProcess.awaitOutput(p, "NOT ready", Duration.ofSeconds(30)), p.output());
      return p.output().lines().map(l -> {
        try {
          return new JsonObject(l);
        } catch (DecodeException e) {
          throw new AssertionError("not one JSON object per line: " + l, e);
        }
      }).toList();
    }
  }

  private static boolean has(List<JsonObject> log, String level, String... parts) {
    return log.stream().anyMatch(o -> level.equals(o.getString("level"))
        && List.of(parts).stream().allMatch(s -> o.getString("message", "").contains(s))
        && o.getString("time", "").endsWith("Z") && o.containsKey("logger"));
  }
}
