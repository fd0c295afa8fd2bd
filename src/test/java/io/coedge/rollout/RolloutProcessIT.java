package io.coedge.rollout;

import static io.coedge.Eventually.within;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coedge.Ports;
import io.coedge.process.JarProcess;
import io.coedge.routing.WanEmulator;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fleet rollout across processes: a cloud node and two edges, each {@code java -jar coedge.jar} on loopback, the
 * edges reaching the cloud's HTTP port through a WAN emulator (50 Mbit/s, 20 ms). Signed versions are published on
 * the cloud; the edges fetch, verify and load them while clients keep sending requests.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class RolloutProcessIT {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final String[] IDS = {"cloud", "edge1", "edge2"};
  private static final String INFER = "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,2],\"datatype\":\"FP32\","
      + "\"data\":[1.5,-2]}]}";
  @TempDir
  static Path tmp;
  private static final List<JarProcess> PROCESSES = new ArrayList<>();
  private static final int[] HTTP_PORTS = new int[3];
  private static WanEmulator wan;
  private static Versions versions;
  private static String alpha2;
  private static String gamma2;

  @BeforeAll
  static void start() throws Exception {
    versions = new Versions(Path.of("src/test/resources/cluster-models/relu/1/model.onnx"));
    for (String id : IDS) {
      versions.make(tmp.resolve(id), "alpha", "1", 0);
      versions.make(tmp.resolve(id), "gamma", "1", 0);
    }
    alpha2 = versions.make(tmp.resolve("cloud"), "alpha", "2", 2 << 20);
    gamma2 = versions.make(tmp.resolve("cloud"), "gamma", "2",
        Path.of("src/test/resources/cluster-models/nan/1/model.onnx"));
    List<Integer> hz = List.of(Ports.free(), Ports.free(), Ports.free());
    for (int i = 0; i < 3; i++) {
      HTTP_PORTS[i] = Ports.free();
    }
    wan = new WanEmulator("127.0.0.1", HTTP_PORTS[0], 20, 50);
    int wanPort = wan.start(Ports.free());
    for (int i = 0; i < 3; i++) {
      Map<String, String> settings = Rollouts.node(IDS[i], i == 0 ? "cloud" : "edge", i == 0 ? "dc" : "s1",
          tmp.resolve(IDS[i]), versions.publicKey(), "it-rollout-processes", hz, i);
      if (i == 0) {
        settings.put("cluster.advertise-url", "http://127.0.0.1:" + wanPort);
      }
      Map<String, String> env = Rollouts.env(settings);
      PROCESSES.add(JarProcess.startIn(tmp, env, "--port", String.valueOf(HTTP_PORTS[i])));
    }
    Rollouts.awaitFresh(PROCESSES, RolloutProcessIT::url);
  }

  @AfterAll
  static void stop() throws Exception {
    for (JarProcess p : PROCESSES) {
      p.close();
    }
    if (wan != null) {
      wan.close();
    }
  }

  @Test
  void aCanaryThenAllRolloutUnderSteadyLoadEndsWithEveryNodeOnTheSameManifestAndNoClientError() throws Exception {
    AtomicBoolean run = new AtomicBoolean(true);
    AtomicLong ok = new AtomicLong();
    List<String> errors = new CopyOnWriteArrayList<>();
    Thread load = new Thread(() -> {
      for (long n = 0; run.get(); n++) {
        int i = 1 + (int) (n % 2);
        try {
          HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url(i, "/v2/models/alpha/infer")))
              .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(INFER)).build(),
              HttpResponse.BodyHandlers.ofString());
          if (r.statusCode() == 200 && r.body().contains("\"outputs\"")) {
            ok.incrementAndGet();
          } else {
            errors.add(IDS[i] + " " + r.statusCode() + " " + r.body());
          }
        } catch (Exception e) {
          errors.add(IDS[i] + " " + e);
        }
      }
    }, "steady-load");
    load.start();
    within(60_000, "requests flow before the rollout", () -> ok.get() >= 20);
    // latency is CanaryAnalysisTest's subject; here a busy CI box must not roll this version back
    JsonObject posted = post(0, new JsonObject().put("model", "alpha").put("version", "2")
        .put("manifestSha256", alpha2).put("halt", new JsonObject().put("maxP99Ratio", 1000))
        .put("stages", new JsonArray().add(new JsonObject().put("nodes", 1).put("soakMs", 3_000))
            .add(new JsonObject().put("percent", 100))));
    String id = posted.getString("id");
    within(150_000, "every node reports the rollout serving", () -> {
      String body = JarProcess.body(url(0, "/v2/cluster/rollouts/" + id));
      if (body == null) {
        return false;
      }
      JsonArray nodes = new JsonObject(body).getJsonArray("nodes");
      return nodes.size() == 3 && nodes.stream().allMatch(n -> ((JsonObject) n).getString("state")
          .equals("serving"));
    });
    long before = ok.get();
    within(60_000, "requests still flow after the rollout", () -> ok.get() >= before + 20);
    run.set(false);
    load.join();
    assertEquals(List.of(), errors, "no client request failed during the rollout");
    for (int i = 0; i < 3; i++) {
      assertEquals(alpha2, readyManifest(i, "alpha", "2"), IDS[i] + " serves alpha/2 with the rollout's manifest");
    }
  }

  @Test
  void aVersionThatFailsValidationHaltsAtItsCanaryAndRollsBackByItself() throws Exception {
    JsonObject bad = post(0, new JsonObject().put("model", "gamma").put("version", "2")
        .put("manifestSha256", gamma2).put("target", new JsonObject().put("role", "edge"))
        .put("stages", new JsonArray().add(new JsonObject().put("nodes", 1).put("soakMs", 600_000))
            .add(new JsonObject().put("percent", 100))));
    String id = bad.getString("id");
    JsonObject[] back = new JsonObject[1];
    within(120_000, "a rollback record supersedes the bad rollout", () -> {
      String body = JarProcess.body(url(0, "/v2/cluster/rollouts"));
      back[0] = body == null ? null : new JsonObject(body).getJsonArray("rollouts").stream()
          .map(JsonObject.class::cast).filter(r -> r.getString("supersedes").equals(id)).findFirst().orElse(null);
      return back[0] != null;
    });
    assertEquals("1", back[0].getString("version"));
    assertTrue(back[0].getString("reason").startsWith("rollback: "), back[0].encode());
    JsonObject[] view = new JsonObject[1];
    // the canary's FAILED state and its rollback record travel in two maps: either may reach the cloud first
    within(30_000, "the cloud shows the bad rollout halted", () -> {
      view[0] = new JsonObject(JarProcess.body(url(0, "/v2/cluster/rollouts/" + id)));
      return view[0].getBoolean("halted");
    });
    JsonObject shown = view[0];
    assertEquals(0, shown.getInteger("stage"), shown.encode());
    assertTrue(shown.getString("haltReason").contains("NaN"), shown.encode());
    String canary = back[0].getString("publisher");
    for (int i = 1; i < 3; i++) {
      int node = i;
      within(60_000, IDS[i] + " serves gamma/1 again", () -> readyManifest(node, "gamma", "1") != null);
    }
    within(30_000, "the canary moved gamma/2 out of its repository",
        () -> Files.notExists(tmp.resolve(canary).resolve("gamma/2")));
    // a canary whose record went stale on a starved box can hand the stage to the other edge: it fails the same way
    within(30_000, "no edge keeps gamma/2 in its repository", () -> Files.notExists(tmp.resolve("edge1/gamma/2"))
        && Files.notExists(tmp.resolve("edge2/gamma/2")));
  }

  /** The manifest sha256 of a ready {@code model/version} on process {@code i}, or null. */
  private static String readyManifest(int i, String model, String version) {
    try {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url(i, "/v2/repository/index")))
          .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
      return new JsonArray(r.body()).stream().map(JsonObject.class::cast)
          .filter(v -> v.getString("name").equals(model) && v.getString("version").equals(version)
              && v.getString("state").equals("READY")).map(v -> v.getString("manifest_sha256")).findFirst()
          .orElse(null);
    } catch (Exception e) {
      return null;
    }
  }

  private static JsonObject post(int i, JsonObject body) throws Exception {
    return Rollouts.post(url(i, "/v2/cluster/rollouts"), body);
  }

  private static String url(int i, String path) {
    return "http://127.0.0.1:" + HTTP_PORTS[i] + path;
  }
}
