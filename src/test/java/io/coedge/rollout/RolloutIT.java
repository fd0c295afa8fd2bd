package io.coedge.rollout;

import static io.coedge.Eventually.within;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coedge.Gateway;
import io.coedge.Ports;
import io.coedge.config.CoedgeConfig;
import io.coedge.config.ConfigSource;
import io.coedge.inference.ModelVersion;
import io.coedge.routing.WanEmulator;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fleet rollout on three real nodes in this JVM (Hazelcast members, HTTP on loopback, ONNX Runtime on real files,
 * signatures required): a cloud node reached through a WAN emulator, two edges on one site. Versions published
 * on the cloud reach the edges by fetch, verification and load.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RolloutIT {

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final List<String> LOG = new CopyOnWriteArrayList<>();
  private static final Logger ROLLOUT_LOG = Logger.getLogger("io.coedge.rollout"); // held: loggers are weakly kept
  private static final Handler CAPTURE = new Handler() {
    public void publish(LogRecord r) {
      LOG.add(r.getLoggerName() + ": " + r.getMessage());
    }

    public void flush() {
    }

    public void close() {
    }
  };
  @TempDir
  static Path tmp;
  private static Versions versions;
  private static WanEmulator wan;
  private static Gateway cloud;
  private static Gateway edge1;
  private static Gateway edge2;
  private static String alpha1;
  private static String alpha2;
  private static CoedgeConfig edge1Config;
  private static String beta2;
  private static String gamma2;
  private static String labels7;

  @BeforeAll
  static void startNodes() throws Exception {
    ROLLOUT_LOG.setLevel(Level.INFO);
    ROLLOUT_LOG.addHandler(CAPTURE);
    versions = new Versions(Path.of("src/test/resources/cluster-models/relu/1/model.onnx"));
    Path cloudModels = tmp.resolve("cloud");
    Path e1 = tmp.resolve("edge1");
    Path e2 = tmp.resolve("edge2");
    for (Path p : List.of(cloudModels, e1, e2)) {
      alpha1 = versions.make(p, "alpha", "1", 0); // the same bytes everywhere: one manifest
      versions.make(p, "beta", "1", 0);
    }
    alpha2 = versions.make(cloudModels, "alpha", "2", 3 << 20);
    beta2 = versions.make(cloudModels, "beta", "2", 0);
    versions.make(e2, "beta", "2", 0);
    for (Path p : List.of(cloudModels, e1, e2)) {
      versions.make(p, "gamma", "1", 0);
    }
    labels7 = versions.makeData(cloudModels, "alpha", "7", "normal\nfailure\n");
    gamma2 = versions.make(cloudModels, "gamma", "2", Path.of("src/test/resources/cluster-models/nan/1/model.onnx"));

    int cloudHttp = Ports.free();
    wan = new WanEmulator("127.0.0.1", cloudHttp, 2, 16);
    int wanPort = wan.start(Ports.free());
    List<Integer> hz = List.of(Ports.free(), Ports.free(), Ports.free());
    Future<Gateway> c = Gateway.start(config("cloud", "cloud", "cloud", cloudModels, cloudHttp, hz, 0,
        Map.of("cluster.advertise-url", "http://127.0.0.1:" + wanPort)));
    edge1Config = config("edge1", "edge", "s1", e1, 0, hz, 1, Map.of("rollout.max-mbps", "16"));
    Future<Gateway> a = Gateway.start(edge1Config);
    Future<Gateway> b = Gateway.start(config("edge2", "edge", "s1", e2, 0, hz, 2, Map.of()));
    cloud = await(c);
    edge1 = await(a);
    edge2 = await(b);
    within(20_000, "three fresh nodes on every node", () -> List.of(cloud, edge1, edge2).stream()
        .allMatch(g -> g.cluster().nodes().stream().filter(n -> n.fresh()).count() == 3));
  }

  @AfterAll
  static void stopNodes() throws Exception {
    for (Gateway g : new Gateway[] {edge1, edge2, cloud}) {
      if (g != null) {
        await(g.close().recover(e -> Future.succeededFuture()));
      }
    }
    if (wan != null) {
      wan.close();
    }
    ROLLOUT_LOG.removeHandler(CAPTURE);
  }

  @Test
  void edgesFetchVerifyAndServeTheRolledOutVersionResumingAfterALinkCutAndARestart() throws Exception {
    JsonObject posted = post(edge1, new JsonObject().put("model", "alpha").put("version", "2")
        .put("manifestSha256", alpha2));
    Path staged = tmp.resolve("edge1/.staging/alpha/2/table.bin");
    within(30_000, "edge1 has part of the data file", () -> size(staged) > 256 * 1024);
    wan.cut();
    within(30_000, "edge1 reports the cut fetch", () -> state(edge1, posted.getString("id"), "edge1")
        .equals("failed"));
    long partial = size(staged);
    assertTrue(serves(edge1, "alpha", "1", alpha1), "cut off mid-rollout, edge1 keeps serving what it has");
    await(edge1.close());
    LOG.clear(); // from here on, a "resuming" line is the restarted node's
    edge1 = await(Gateway.start(edge1Config)); // restarted mid-fetch: the staged part is still on disk
    wan.heal();
    for (Gateway g : List.of(cloud, edge1, edge2)) {
      within(60_000, g.config().node().id() + " serves alpha/2", () -> serves(g, "alpha", "2", alpha2));
    }
    assertTrue(partial > 0, "a partial file was left by the cut");
    assertTrue(LOG.stream().anyMatch(l -> l.matches(".*resuming table.bin from .* at byte " + partial + " of "
        + (3 << 20))), "the restarted edge1 resumed the data file where the cut left it: " + LOG);
    within(10_000, "every node reports serving on GET /v2/cluster/rollouts/{id}", () -> {
      JsonArray nodes = get(cloud, "/v2/cluster/rollouts/" + posted.getString("id")).getJsonArray("nodes");
      return nodes.size() == 3 && nodes.stream().allMatch(n -> ((JsonObject) n).getString("state").equals("serving"));
    });
  }

  @Test
  void aTamperedCopyOnTheNearestPeerIsRefusedAndFetchedFromAnother() throws Exception {
    Path onEdge2 = tmp.resolve("edge2/beta/2/model.onnx");
    byte[] bytes = Files.readAllBytes(onEdge2);
    bytes[bytes.length - 1] ^= 1; // same size, other bytes: only the sha256 tells
    Files.write(onEdge2, bytes);
    post(cloud, new JsonObject().put("model", "beta").put("version", "2").put("manifestSha256", beta2));
    within(60_000, "edge1 serves beta/2", () -> serves(edge1, "beta", "2", beta2));
    String edge2Url = edge2.cluster().node("edge2").orElseThrow().record().url();
    assertTrue(LOG.stream().anyMatch(l -> l.contains("'model.onnx' from " + edge2Url + " does not match the manifest")),
        "edge2's tampered copy was refused: " + LOG);
    assertTrue(Files.notExists(tmp.resolve("edge1/.staging/beta/2")), "the staged copy was moved into place");
  }

  @Test
  void aVersionAnsweringNaNHaltsAtItsCanaryWhichRollsBackByItself() throws Exception {
    JsonObject bad = post(cloud, new JsonObject().put("model", "gamma").put("version", "2")
        .put("manifestSha256", gamma2).put("target", new JsonObject().put("role", "edge"))
        .put("stages", new JsonArray().add(new JsonObject().put("nodes", 1).put("soakMs", 600_000))
            .add(new JsonObject().put("percent", 100))));
    String id = bad.getString("id");
    within(60_000, "a rollback record supersedes the bad rollout", () -> cloud.rollouts().plan().head("gamma")
        .map(h -> h.supersedes().equals(id)).orElse(false));
    RolloutRecord back = cloud.rollouts().plan().head("gamma").orElseThrow();
    String canary = back.publisher();
    String other = canary.equals("edge1") ? "edge2" : "edge1";
    assertEquals("1", back.version(), "the rollback names the version the canary served before");
    assertEquals(List.of(RolloutRecord.Stage.all()), back.stages());
    assertTrue(back.rollback() && back.reason().contains("NaN"), "the rollback record says why: " + back.reason());
    // the canary's FAILED state and its rollback record travel in two maps: either may reach the cloud first
    within(30_000, "the cloud shows the bad rollout halted", () -> get(cloud, "/v2/cluster/rollouts/" + id)
        .getBoolean("halted"));
    JsonObject shown = get(cloud, "/v2/cluster/rollouts/" + id);
    assertEquals(back.id(), shown.getString("rolledBackBy"), shown.encode());
    assertEquals(0, shown.getInteger("stage"), "halted at the canary stage: " + shown.encode());
    assertTrue(shown.getString("haltReason").startsWith(canary + ": "), shown.encode());
    assertTrue(shown.getString("haltReason").contains("output 'y' is NaN on warm-up"), shown.encode());
    // the canary's own state now follows the rollback (one state per node and model); the record keeps the reason
    assertEquals(1, shown.getInteger("selected"), "only the canary was ever selected: " + shown.encode());
    for (Gateway g : List.of(edge1, edge2)) {
      String node = g.config().node().id();
      within(30_000, node + " reports the rollback serving", () -> state(g, back.id(), node).equals("serving"));
      assertTrue(g.engine().control().index().stream().anyMatch(v -> v.ready() && v.name().equals("gamma")
          && v.version().equals("1")), node + " serves gamma/1");
    }
    Path canaryRepo = tmp.resolve(canary);
    within(10_000, "the canary moved gamma/2 out of its repository", () -> Files.notExists(canaryRepo.resolve(
        "gamma/2")));
    assertTrue(Files.exists(canaryRepo.resolve(".retired/gamma")), "kept aside under .retired");
    // a canary whose record went stale on a starved box can hand the stage to the other edge: it fails the same way
    within(10_000, other + " does not keep gamma/2 either", () -> Files.notExists(tmp.resolve(other).resolve(
        "gamma/2")));
  }

  @Test
  void dataBoundToAModelReachesEveryNodeAndOffloadsGoOnlyWhereTheSameDataIs() throws Exception {
    String id = post(cloud, new JsonObject().put("kind", "data").put("model", "alpha").put("version", "7")
        .put("manifestSha256", labels7)).getString("id");
    within(60_000, "every node reports the data serving", () -> {
      JsonArray nodes = get(cloud, "/v2/cluster/rollouts/" + id).getJsonArray("nodes");
      return nodes.size() == 3 && nodes.stream().map(JsonObject.class::cast).allMatch(n -> n.getString("state")
          .equals("serving") && n.getString("model").equals("alpha:data"));
    });
    for (String node : List.of("edge1", "edge2")) {
      assertEquals("normal\nfailure\n", Files.readString(tmp.resolve(node).resolve(".data/alpha/7/labels.txt")));
    }
    within(10_000, "every node publishes the data with its alpha versions", () -> edge1.cluster().nodes().stream()
        .allMatch(n -> n.record().models().stream().filter(m -> m.name().equals("alpha") && m.ready())
            .allMatch(m -> m.data().equals(labels7))));
    ModelVersion alpha = edge1.engine().control().index().stream().filter(v -> v.ready()
        && v.name().equals("alpha")).reduce((a, b) -> b).orElseThrow();
    within(10_000, "edge1's offload candidates are nodes with the same model and data", () -> {
      List<io.coedge.cluster.NodeEntry> c = edge1.cluster().candidates("alpha", alpha.version(), alpha.sha256());
      return !c.isEmpty() && c.stream().allMatch(n -> n.record().data("alpha", alpha.version()).equals(labels7));
    });
  }

  @Test
  void badRolloutsAreRefusedWith400AndUnknownOnesWith404() throws Exception {
    for (String body : List.of("{", "[]", "{\"model\":\"alpha\"}", new JsonObject().put("model", "../x")
        .put("version", "2").put("manifestSha256", alpha2).encode(), new JsonObject().put("model", "alpha")
        .put("version", "2").put("manifestSha256", alpha2).put("stages", new JsonArray().add(new JsonObject()))
        .encode())) {
      HttpResponse<String> r = send(edge2, HttpRequest.newBuilder(uri(edge2, "/v2/cluster/rollouts"))
          .POST(HttpRequest.BodyPublishers.ofString(body)));
      assertEquals(400, r.statusCode(), body + " -> " + r.body());
      assertTrue(new JsonObject(r.body()).getString("error").length() > 0);
    }
    assertEquals(404, send(edge2, HttpRequest.newBuilder(uri(edge2, "/v2/cluster/rollouts/nope"))).statusCode());
    assertEquals(404, send(edge2, HttpRequest.newBuilder(uri(edge2, "/v2/cluster/files/alpha/1/secret.txt")))
        .statusCode());
    assertEquals(400, send(edge2, HttpRequest.newBuilder(uri(edge2, "/v2/cluster/files/alpha/1/.hidden")))
        .statusCode());
  }

  private static boolean serves(Gateway g, String model, String version, String manifestSha) {
    return g.engine().control().index().stream().anyMatch(v -> v.ready() && v.name().equals(model)
        && v.version().equals(version) && manifestSha.equals(v.manifestSha256()));
  }

  private static String state(Gateway g, String rollout, String node) {
    return g.rollouts().states().stream().filter(s -> s.node().equals(node) && s.rollout().equals(rollout))
        .map(s -> s.state().name().toLowerCase()).findFirst().orElse("");
  }

  private static long size(Path p) {
    try {
      return Files.exists(p) ? Files.size(p) : 0;
    } catch (Exception e) {
      return 0;
    }
  }

  private static JsonObject post(Gateway g, JsonObject body) throws Exception {
    HttpResponse<String> r = send(g, HttpRequest.newBuilder(uri(g, "/v2/cluster/rollouts"))
        .POST(HttpRequest.BodyPublishers.ofString(body.encode())));
    assertEquals(201, r.statusCode(), r.body());
    return new JsonObject(r.body());
  }

  private static JsonObject get(Gateway g, String path) {
    try {
      return new JsonObject(send(g, HttpRequest.newBuilder(uri(g, path))).body());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static HttpResponse<String> send(Gateway g, HttpRequest.Builder b) throws Exception {
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static URI uri(Gateway g, String path) {
    return URI.create("http://127.0.0.1:" + g.port() + path);
  }

  private static CoedgeConfig config(String id, String role, String site, Path models, int http, List<Integer> hz,
      int self, Map<String, String> extra) {
    Map<String, String> m = Rollouts.node(id, role, site, models, versions.publicKey(), "it-rollout", hz, self);
    m.put("http.port", String.valueOf(http));
    m.putAll(extra);
    return CoedgeConfig.from(ConfigSource.of(m));
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
