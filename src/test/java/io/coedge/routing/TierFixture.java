package io.coedge.routing;

import static io.coedge.Eventually.within;
import static io.coedge.routing.OffloadFixture.await;
import static io.coedge.routing.OffloadFixture.freePort;
import static io.coedge.routing.OffloadFixture.node;

import io.coedge.Gateway;
import io.coedge.Http;
import io.coedge.cluster.NodeRecord;
import io.coedge.config.CoedgeConfig;
import io.coedge.config.ConfigSource;
import io.coedge.inference.SlowerHardware;
import io.vertx.core.Future;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Three tiers in this JVM over real Hazelcast members on loopback: {@code edge-1}, {@code regional-1} and
 * {@code cloud-2}, the regional and the cloud each behind its own {@link WanEmulator} (their advertised URLs point
 * at the emulators, so every hop crosses one). All three serve the shipped {@value #MODEL} with policy
 * {@code cost-optimal}; the edge and the regional are emulated slow boxes (a fixed extra time per batch), the
 * cloud runs at this machine's speed. The edge prices a request sent straight to the cloud at 1 (λ = 1 s per unit:
 * metered egress), the regional at 0, so it sends what it does not serve to the regional, which then chooses by
 * its own estimates between serving and forwarding to the cloud.
 */
final class TierFixture implements AutoCloseable {

  static final String MODEL = "sensor-anomaly-large";

  final Gateway edge;
  final Gateway regional;
  final Gateway cloud;
  final WanEmulator toRegional;
  final WanEmulator toCloud;
  private final Path repo;

  TierFixture(String name, long edgeExtraUs, long regionalExtraUs, double rttMs) throws Exception {
    repo = repository();
    int[] hz = {freePort(), freePort(), freePort()};
    int regionalHttp = freePort();
    int cloudHttp = freePort();
    toRegional = new WanEmulator("127.0.0.1", regionalHttp, rttMs, 100);
    toCloud = new WanEmulator("127.0.0.1", cloudHttp, rttMs, 100);
    Map<String, String> c = tier(node(name, "cloud-2", "cloud", hz, 2), cloudHttp, toCloud.start(0), rttMs);
    Map<String, String> r = tier(node(name, "regional-1", "regional", hz, 1), regionalHttp, toRegional.start(0),
        rttMs);
    Map<String, String> e = tier(node(name, "edge-1", "edge", hz, 0), 0, 0, rttMs);
    e.put("offload.node-prices", "cloud-2=1:0");
    e.put("offload.lambda", "1000000");
    Future<Gateway> cloudStart = Gateway.start(CoedgeConfig.from(ConfigSource.of(c)));
    Future<Gateway> regionalStart = Gateway.start(CoedgeConfig.from(ConfigSource.of(r)),
        SlowerHardware.engines(1, regionalExtraUs));
    edge = await(Gateway.start(CoedgeConfig.from(ConfigSource.of(e)), SlowerHardware.engines(1, edgeExtraUs)));
    regional = await(regionalStart);
    cloud = await(cloudStart);
    within(60_000, "the edge sees the regional and the cloud, the regional sees the cloud, all serving " + MODEL,
        () -> serving(edge, "regional-1") && serving(edge, "cloud-2") && serving(regional, "cloud-2"));
  }

  private Map<String, String> tier(Map<String, String> m, int http, int proxy, double rttMs) {
    m.put("http.port", String.valueOf(http));
    if (proxy > 0) {
      m.put("cluster.advertise-url", "http://127.0.0.1:" + proxy);
    }
    m.put("inference.models-dir", repo.toString());
    m.put("offload.probe-interval-ms", "100");
    m.put("offload.default-rtt-ms", String.valueOf(rttMs));
    m.put("offload.default-bandwidth-mbps", "100");
    return m;
  }

  /** The shipped model with policy cost-optimal, in a temporary repository every node reads (same bytes). */
  private static Path repository() throws IOException {
    Path dir = Files.createTempDirectory("coedge-tier-models");
    Path v = Files.createDirectories(dir.resolve(MODEL).resolve("1"));
    Files.copy(Path.of("models", MODEL, "1", "model.onnx"), v.resolve("model.onnx"));
    String config = Files.readString(Path.of("models", MODEL, "config.yaml"));
    Files.writeString(dir.resolve(MODEL).resolve("config.yaml"),
        config.replaceAll("(?m)^policy:.*$", "policy: cost-optimal"));
    return dir;
  }

  /** {@code seen}'s record as {@code viewer} reads it from the shared table, if fresh. */
  static Optional<NodeRecord.Model> model(Gateway viewer, String seen) {
    return viewer.cluster().nodes().stream().filter(n -> n.id().equals(seen) && n.usable())
        .flatMap(n -> n.record().models().stream()).filter(m -> m.ready() && m.name().equals(MODEL)).findFirst();
  }

  private static boolean serving(Gateway viewer, String seen) {
    return model(viewer, seen).isPresent();
  }

  /** Sum of {@code node}'s Prometheus samples of {@code metric} whose labels contain every fragment. */
  static double metric(Gateway node, String metric, String... fragments) {
    String text;
    try (Http http = new Http(node.port())) {
      text = http.get("/metrics").bodyAsString();
    }
    return text.lines().filter(l -> l.startsWith(metric + "{") || l.startsWith(metric + " "))
        .filter(l -> Arrays.stream(fragments).allMatch(l::contains))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }

  @Override
  public void close() throws Exception {
    for (Gateway g : new Gateway[] {edge, regional, cloud}) {
      if (g != null) {
        g.close().recover(x -> Future.succeededFuture()).toCompletionStage().toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
      }
    }
    toRegional.close();
    toCloud.close();
    try (var files = Files.walk(repo)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
