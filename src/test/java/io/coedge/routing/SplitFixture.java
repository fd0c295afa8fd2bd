package io.coedge.routing;

import static io.coedge.Eventually.within;
import static io.coedge.routing.OffloadFixture.await;
import static io.coedge.routing.OffloadFixture.node;

import io.coedge.Gateway;
import io.coedge.Http;
import io.coedge.config.CoedgeConfig;
import io.coedge.config.ConfigSource;
import io.coedge.inference.SlowerHardware;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * An edge and a cloud node in this JVM over real Hazelcast members on loopback, the cloud behind a
 * {@link WanEmulator}; both serve the shipped split CNN {@value #MODEL} (plans ranked) and two copies of it whose
 * config pins a plan ({@code split@b1}, FP16 intermediate; {@code split@b2}, FP32). The edge is emulated as a
 * busy box: every batch of every model (whole, head or tail) takes {@code extraUsPerBatch} longer.
 */
final class SplitFixture implements AutoCloseable {

  static final String MODEL = "traffic-counter-split";
  static final String PINNED_B1 = "tcs-b1";
  static final String PINNED_B2 = "tcs-b2";

  final Gateway edge;
  final Gateway cloud;
  final WanEmulator link;
  private final Path repo;

  SplitFixture(String name, long extraUsPerBatch, double rttMs, double mbps) throws Exception {
    this(name, 1, extraUsPerBatch, rttMs, mbps, List.of("split@b1", "split@b2"), 100);
  }

  /**
   * As above with the edge {@code slower} times slower on every batch, and a pinned copy {@code tcs-<plan>}
   * (without "split@") for each of {@code pins}; the edge probes an idle link every {@code probeMs} (its 64 KB
   * bandwidth probe, every tenth, shares the emulated link with the requests).
   */
  SplitFixture(String name, double slower, long extraUsPerBatch, double rttMs, double mbps, List<String> pins,
      long probeMs) throws Exception {
    repo = repository(pins);
    int[] hz = {OffloadFixture.freePort(), OffloadFixture.freePort()};
    int http = OffloadFixture.freePort();
    link = new WanEmulator("127.0.0.1", http, rttMs, mbps);
    int proxy = link.start(0);
    Map<String, String> c = node(name, "cloud-0", "cloud", hz, 1);
    c.put("http.port", String.valueOf(http));
    c.put("cluster.advertise-url", "http://127.0.0.1:" + proxy);
    c.put("inference.models-dir", repo.toString());
    Future<Gateway> cloudStart = Gateway.start(CoedgeConfig.from(ConfigSource.of(c)));
    Map<String, String> e = node(name, "edge", "edge", hz, 0);
    e.put("http.port", "0");
    e.put("inference.models-dir", repo.toString());
    e.put("offload.probe-interval-ms", String.valueOf(probeMs));
    e.put("offload.default-bandwidth-mbps", String.valueOf(mbps));
    e.put("offload.default-rtt-ms", String.valueOf(rttMs));
    // not OffloadFixture.await's minute: the edge loads and times 42 sessions (7 per model copy), minutes on a busy box
    edge = Gateway.start(CoedgeConfig.from(ConfigSource.of(e)), SlowerHardware.engines(slower, extraUsPerBatch))
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.MINUTES);
    cloud = await(cloudStart);
    within(30_000, "the edge sees the cloud serving every split tail; " + cloud.engine().models().stream()
        .filter(m -> !m.ready()).map(m -> m.name() + ": " + m.error()).toList() + " " + edge.cluster().nodes(),
        () -> edge.cluster().nodes().stream()
        .anyMatch(n -> n.id().equals("cloud-0") && n.usable() && n.record().models().stream()
            .filter(m -> m.ready() && m.name().contains(".split-")).count() == 6 * (1 + pins.size()))); // 3 points x 2
  }

  /** The shipped split CNN and two copies pinning a plan, in one temporary repository (copies, not links). */
  private static Path repository(List<String> pins) throws IOException {
    Path dir = Files.createTempDirectory("coedge-split-models");
    Path src = Path.of("models", MODEL);
    String config = Files.readString(src.resolve("config.yaml"));
    List<String[]> models = new java.util.ArrayList<>();
    models.add(new String[] {MODEL, ""});
    pins.forEach(p -> models.add(new String[] {pinned(p), "split-plan: " + p + "\n"}));
    for (String[] m : models) {
      Path v = Files.createDirectories(dir.resolve(m[0]).resolve("1"));
      try (var files = Files.list(src.resolve("1"))) {
        for (Path f : files.toList()) {
          Files.copy(f, v.resolve(f.getFileName()));
        }
      }
      Files.writeString(dir.resolve(m[0]).resolve("config.yaml"), config + m[1]);
    }
    return dir;
  }

  /** The pinned copy of the model for {@code plan}. */
  static String pinned(String plan) {
    return "tcs-" + plan.replace("split@", "");
  }

  /** A v2 request with one random frame [1, 3, 96, 96] in the binary tensor format (JSON answer). */
  static Buffer frame(long seed, String offload) {
    Random r = new Random(seed);
    ByteBuffer data = ByteBuffer.allocate(3 * 96 * 96 * 4).order(ByteOrder.LITTLE_ENDIAN);
    while (data.hasRemaining()) {
      data.putFloat(r.nextFloat());
    }
    JsonObject header = new JsonObject().put("inputs", new JsonArray().add(new JsonObject().put("name", "frames")
        .put("shape", new JsonArray().add(1).add(3).add(96).add(96)).put("datatype", "FP32")
        .put("parameters", new JsonObject().put("binary_data_size", data.capacity()))));
    if (offload != null) {
      header.put("parameters", new JsonObject().put("offload", offload));
    }
    Buffer json = header.toBuffer();
    return Buffer.buffer().appendBuffer(json).appendBytes(data.array());
  }

  static MultiMap binary(Buffer body) {
    return MultiMap.caseInsensitiveMultiMap().add("content-type", "application/octet-stream")
        .add("inference-header-content-length", Integer.toString(jsonEnd(body)));
  }

  /** Length of the JSON header at the start of {@code body}: up to its balancing closing brace. */
  private static int jsonEnd(Buffer body) {
    int depth = 0;
    for (int i = 0; i < body.length(); i++) {
      byte b = body.getByte(i);
      depth += b == '{' ? 1 : b == '}' ? -1 : 0;
      if (depth == 0) {
        return i + 1;
      }
    }
    throw new IllegalArgumentException("no JSON header");
  }

  /** Posts one frame to {@code model} on the edge. */
  HttpResponse<Buffer> infer(Http http, String model, long seed, String offload) {
    Buffer body = frame(seed, offload);
    return http.post("/v2/models/" + model + "/infer", body, binary(body));
  }

  static float[] counts(HttpResponse<Buffer> r) {
    JsonArray data = r.bodyAsJsonObject().getJsonArray("outputs").getJsonObject(0).getJsonArray("data");
    float[] out = new float[data.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = data.getNumber(i).floatValue();
    }
    return out;
  }

  @Override
  public void close() throws Exception {
    for (Gateway g : new Gateway[] {edge, cloud}) {
      if (g != null) {
        g.close().recover(x -> Future.succeededFuture()).toCompletionStage().toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
      }
    }
    link.close();
    try (var files = Files.walk(repo)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
