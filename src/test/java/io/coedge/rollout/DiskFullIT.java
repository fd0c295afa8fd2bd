package io.coedge.rollout;

import static io.coedge.Eventually.within;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.coedge.Ports;
import io.coedge.process.JarProcess;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault (g), a full disk during a fetch: a cloud node and an edge ({@code java -jar coedge.jar} each), the edge's
 * models folder on a 4 MiB tmpfs mounted in the edge's own mount namespace ({@code unshare -m}; the test reaches it
 * with {@code nsenter -m}). The tmpfs is filled but for 256 KiB, then a rollout asks the edge for a version with
 * 2 MiB of data: the edge keeps serving the old version, reports the failure as its own disk's (not as bad bytes
 * from the peer), and once the space is freed it fetches and serves the new version by itself.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class DiskFullIT {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final String INFER = "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,2],\"datatype\":\"FP32\","
      + "\"data\":[1.5,-2]}]}";
  @TempDir
  static Path tmp;
  private static final List<JarProcess> PROCESSES = new ArrayList<>();
  private static final int[] PORTS = new int[2];
  private static String alpha2;
  private static Path edgeModels;

  @BeforeAll
  static void start() throws Exception {
    edgeModels = tmp.resolve("edge");
    java.nio.file.Files.createDirectories(edgeModels);
    String probe = run(List.of("unshare", "-m", "sh", "-c", "mount -t tmpfs -o size=64k coedge-probe " + edgeModels));
    assumeTrue(probe.isEmpty(), "needs root and a private mount namespace (unshare -m, mount -t tmpfs) to give the "
        + "edge a small disk of its own; here: " + probe);
    Versions versions = new Versions(Path.of("src/test/resources/cluster-models/relu/1/model.onnx"));
    versions.make(tmp.resolve("cloud"), "alpha", "1", 0);
    versions.make(tmp.resolve("edge-seed"), "alpha", "1", 0);
    alpha2 = versions.make(tmp.resolve("cloud"), "alpha", "2", 2 << 20);
    List<Integer> hz = List.of(Ports.free(), Ports.free());
    String[] ids = {"cloud", "edge"};
    for (int i = 0; i < 2; i++) {
      PORTS[i] = Ports.free();
      Map<String, String> env = Rollouts.env(Rollouts.node(ids[i], i == 0 ? "cloud" : "edge", i == 0 ? "dc" : "s1",
          tmp.resolve(ids[i]), versions.publicKey(), "it-disk-full", hz, i));
      List<String> prefix = i == 0 ? List.of() : List.of("unshare", "-m", "sh", "-c", "mount -t tmpfs -o size=4m "
          + "coedge-it " + edgeModels + " && cp -r " + tmp.resolve("edge-seed") + "/. " + edgeModels
          + "/ && exec \"$0\" \"$@\"");
      PROCESSES.add(JarProcess.startIn(tmp, env, prefix, "--port", String.valueOf(PORTS[i])));
    }
    Rollouts.awaitFresh(PROCESSES, DiskFullIT::url);
  }

  @AfterAll
  static void stop() throws Exception {
    for (JarProcess p : PROCESSES) {
      p.close();
    }
  }

  @Test
  void aFetchOntoAFullDiskKeepsTheOldVersionSaysWhyAndCompletesOnceSpaceIsBack() throws Exception {
    // 256 KiB left: the manifest, its signature and the model fit, the 2 MiB data file does not
    assertEquals("", inEdge("dd if=/dev/zero of=" + edgeModels + "/fill bs=1k count=$(df -k " + edgeModels
        + " | awk 'NR == 2 { print $4 - 256 }') 2>/dev/null"), "the edge's disk is filled");
    String id = Rollouts.post(url(0, "/v2/cluster/rollouts"), new JsonObject().put("model", "alpha").put("version", "2").put("manifestSha256", alpha2)
        .put("target", new JsonObject().put("role", "edge"))
        .put("stages", new JsonArray().add(new JsonObject().put("percent", 100)))).getString("id");
    JsonObject[] edge = new JsonObject[1];
    within(120_000, "the edge reports the fetch failed", () -> {
      edge[0] = edgeState(id);
      return edge[0] != null && edge[0].getString("state").equals("failed");
    });
    String reason = edge[0].getString("reason");
    assertTrue(reason.contains("No space left on device") && reason.contains("this node's disk"), reason);
    assertEquals(200, infer().statusCode(), "the edge still answers");
    assertTrue(infer().body().contains("\"model_version\":\"1\""), "with the version it had");

    inEdge("rm " + edgeModels + "/fill");
    within(120_000, "the edge serves alpha/2 once the space is back", () -> {
      JsonObject s = edgeState(id);
      return s != null && s.getString("state").equals("serving");
    });
    HttpResponse<String> r = infer();
    assertEquals(200, r.statusCode(), r.body());
    assertTrue(r.body().contains("\"model_version\":\"2\""), r.body());
  }

  private static JsonObject edgeState(String id) {
    String body = JarProcess.body(url(0, "/v2/cluster/rollouts/" + id));
    return body == null ? null : new JsonObject(body).getJsonArray("nodes").stream().map(JsonObject.class::cast)
        .filter(n -> n.getString("node").equals("edge")).findFirst().orElse(null);
  }

  private static HttpResponse<String> infer() throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url(1, "/v2/models/alpha/infer")))
        .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(INFER)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Runs {@code script} in the edge's mount namespace; its output. */
  private static String inEdge(String script) throws Exception {
    return run(List.of("nsenter", "-t", String.valueOf(PROCESSES.get(1).process().pid()), "-m", "sh", "-c", script));
  }

  /** Runs {@code cmd}; "" when it exits 0 with no output, else its exit status and output. */
  private static String run(List<String> cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    int code = p.waitFor();
    return code == 0 ? out : "exit " + code + ": " + out;
  }

  private static String url(int i, String path) {
    return "http://127.0.0.1:" + PORTS[i] + path;
  }
}
