package io.coedge.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coedge.Eventually;
import io.coedge.Gateway;
import io.coedge.Http;
import io.coedge.config.CoedgeConfig;
import io.coedge.config.ConfigSource;
import io.coedge.inference.SlowerHardware;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The batcher learns its batch size on a model it was told nothing about: max-batch-size is only the ceiling.
 * The model is the real add-one graph made to cost a known 40 ms per batch plus 0.1 ms per row, so every doubling
 * of the batch pays (per-row cost 5.1, 2.6, 1.35 ms at 8, 16, 32 rows) and 128 closed-loop clients keep a backlog
 * even at 32 rows (2 workers take 64 of the 128 at a time); the test asserts which batch sizes ran, read from
 * Triton's statistics over HTTP, never how fast.
 */
@Timeout(300)
class AdaptiveBatchingTest {

  private static final int CLIENTS = 128;
  private Gateway node;
  private Http http;

  @AfterEach
  void stop() throws Exception {
    if (http != null) {
      http.close();
    }
    if (node != null) {
      Eventually.await(node.close());
    }
  }

  private void start(Path models, String config) throws IOException {
    Path dir = models.resolve("add-one/1");
    Files.createDirectories(dir);
    Files.copy(Path.of("src/test/resources/test-models/add-one/1/model.onnx"), dir.resolve("model.onnx"));
    Files.writeString(models.resolve("add-one/config.yaml"), config);
    Map<String, String> values = new HashMap<>(Map.of("http.port", "0", "http.host", "127.0.0.1",
        "node.id", "batching", "cluster.enabled", "false", "inference.models-dir", models.toString()));
    CoedgeConfig c = CoedgeConfig.from(ConfigSource.of(values));
    node = Eventually.await(Gateway.start(c, SlowerHardware.costCurve(40_000, 100)));
    http = new Http(node.port(), CLIENTS);
  }

  private static JsonObject row(int i) {
    return new JsonObject().put("inputs", new JsonArray().add(new JsonObject().put("name", "x")
        .put("shape", new JsonArray().add(1).add(4)).put("datatype", "FP32")
        .put("data", new JsonArray().add(i).add(1).add(2).add(3))));
  }

  /** {@link #CLIENTS} closed-loop clients send {@code total} one-row requests; every answer must be a 200. */
  private void drive(int total) {
    AtomicInteger sent = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    List<Future<Void>> loops = new ArrayList<>();
    for (int c = 0; c < CLIENTS; c++) {
      loops.add(loop(sent, failed, total));
    }
    Eventually.await(Future.all(loops));
    assertEquals(0, failed.get(), "requests not answered 200");
  }

  private Future<Void> loop(AtomicInteger sent, AtomicInteger failed, int total) {
    int i = sent.getAndIncrement();
    if (i >= total) {
      return Future.succeededFuture();
    }
    return http.postAsync("/v2/models/add-one/infer", row(i)).compose(r -> {
      if (r.statusCode() != 200) {
        failed.incrementAndGet();
      }
      return loop(sent, failed, total);
    });
  }

  /** Batches executed per batch size so far, from GET /v2/models/add-one/stats. */
  private Map<Integer, Long> batches() {
    JsonObject stats = http.get("/v2/models/add-one/stats").bodyAsJsonObject().getJsonArray("model_stats")
        .getJsonObject(0);
    Map<Integer, Long> out = new HashMap<>();
    for (Object o : stats.getJsonArray("batch_stats")) {
      JsonObject b = (JsonObject) o;
      out.put(b.getInteger("batch_size"), b.getJsonObject("compute_infer").getLong("count"));
    }
    return out;
  }

  private static long rows(Map<Integer, Long> batches, int minSize) {
    return batches.entrySet().stream().filter(e -> e.getKey() >= minSize).mapToLong(e -> e.getKey() * e.getValue())
        .sum();
  }

  @Test
  void batchSizeGrowsFromItsStartToTheCeilingWhenEveryDoublingPays(@TempDir Path models) throws IOException {
    start(models, "max-batch-size: 32\n");
    drive(3000);
    Map<Integer, Long> learning = batches();
    assertTrue(learning.getOrDefault(8, 0L) > 0, "started at 8 rows: " + learning);
    assertTrue(learning.getOrDefault(16, 0L) > 0, "tried 16 rows on the way: " + learning);
    assertTrue(learning.keySet().stream().allMatch(s -> s <= 32), "never above the ceiling: " + learning);
    drive(3000);
    Map<Integer, Long> after = batches();
    Map<Integer, Long> phase = new HashMap<>();
    after.forEach((size, n) -> phase.put(size, n - learning.getOrDefault(size, 0L)));
    long all = rows(phase, 1);
    assertEquals(3000, all, "rows run in the second phase: " + phase);
    assertTrue(rows(phase, 32) * 2 > all, "most rows ran at the ceiling once learnt: " + phase);
  }

  @Test
  void aRequestLargerThanTheCeilingRunsAloneWithTheSameAnswers(@TempDir Path models) throws IOException {
    start(models, "max-batch-size: 4\n");
    JsonArray data = new JsonArray();
    for (int i = 0; i < 10 * 4; i++) {
      data.add(i);
    }
    JsonObject big = new JsonObject().put("inputs", new JsonArray().add(new JsonObject().put("name", "x")
        .put("shape", new JsonArray().add(10).add(4)).put("datatype", "FP32").put("data", data)));
    var r = http.post("/v2/models/add-one/infer", big);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    JsonObject out = r.bodyAsJsonObject().getJsonArray("outputs").getJsonObject(0);
    assertEquals(new JsonArray().add(10).add(4), out.getJsonArray("shape"));
    for (int i = 0; i < 40; i++) {
      assertEquals(i + 1.0, out.getJsonArray("data").getDouble(i), 1e-6, "element " + i);
    }
    assertEquals(Map.of(10, 1L), batches());
    JsonObject config = http.get("/v2/models/add-one/config").bodyAsJsonObject();
    assertEquals(4, config.getInteger("max_batch_size"), config.encode());
  }
}
