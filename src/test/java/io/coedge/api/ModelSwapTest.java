package io.coedge.api;

import io.coedge.Eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coedge.Gateway;
import io.coedge.Http;
import io.coedge.TestNodes;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Load-new-then-swap under steady load over real HTTP: clients keep requests in flight while a new version loads
 * and the old one drains; no request fails, and every request sent after the load answered is served by the new one.
 */
@Timeout(120)
class ModelSwapTest {

  static final int CLIENTS = 8;
  static final int AFTER_SWAP = 20;

  @TempDir
  Path tmp;

  @Test
  void swapUnderSteadyLoadAnswersEveryRequestAndOnlyFromReadyVersions() throws Exception {
    TempRepository repo = new TempRepository(tmp.resolve("models"));
    repo.publish("add-one/1", "swap", "1");
    Gateway node = TestNodes.start(repo.toString(), Map.of("inference.model-control", "explicit"));
    try (Http http = new Http(node.port())) {
      AtomicBoolean swapped = new AtomicBoolean();
      Map<String, AtomicInteger> before = new ConcurrentHashMap<>();
      Map<String, AtomicInteger> after = new ConcurrentHashMap<>();
      List<String> errors = java.util.Collections.synchronizedList(new ArrayList<>());
      CountDownLatch warm = new CountDownLatch(CLIENTS * 5);
      List<Future<Void>> clients = new ArrayList<>();
      for (int i = 0; i < CLIENTS; i++) {
        Promise<Void> done = Promise.promise();
        client(http, swapped, before, after, errors, warm, new AtomicInteger(), done);
        clients.add(done.future());
      }
      assertTrue(warm.await(60, TimeUnit.SECONDS), "clients got answers before the swap");

      repo.publish("add-one/2", "swap", "2");
      assertEquals(200, http.post("/v2/repository/models/swap/load", new JsonObject()).statusCode());
      swapped.set(true);
      Eventually.await(Future.all(clients));

      assertEquals(List.of(), errors, "no request failed during the swap");
      assertTrue(before.containsKey("1"), "version 1 served before the swap: " + before);
      assertEquals(List.of("2"), List.copyOf(after.keySet()), "requests sent after the load answered: " + after);
      assertEquals(CLIENTS * AFTER_SWAP, after.get("2").get());
      assertTrue(before.keySet().stream().allMatch(v -> v.equals("1") || v.equals("2")), before.toString());
      JsonObject old = ModelRepositoryApiTest.indexOf(http).getJsonObject("swap/1");
      assertNotEquals("READY", old.getString("state"), old.encode());
    } finally {
      TestNodes.stop(node);
    }
  }

  /** One closed-loop client: sends, records the answering version, sends again until it saw enough after the swap. */
  private static void client(Http http, AtomicBoolean swapped, Map<String, AtomicInteger> before,
      Map<String, AtomicInteger> after, List<String> errors, CountDownLatch warm, AtomicInteger afterCount,
      Promise<Void> done) {
    boolean sentAfter = swapped.get();
    http.postAsync("/v2/models/swap/infer", InferenceApiTest.addOneRequest(1, 2, 3, 4)).onComplete(ar -> {
      if (ar.failed() || ar.result().statusCode() != 200) {
        errors.add(ar.failed() ? ar.cause().toString() : ar.result().statusCode() + " " + ar.result().bodyAsString());
      } else {
        String v = ar.result().bodyAsJsonObject().getString("model_version");
        (sentAfter ? after : before).computeIfAbsent(v, k -> new AtomicInteger()).incrementAndGet();
      }
      warm.countDown();
      if (sentAfter && afterCount.incrementAndGet() >= AFTER_SWAP) {
        done.complete();
      } else {
        client(http, swapped, before, after, errors, warm, afterCount, done);
      }
    });
  }
}
