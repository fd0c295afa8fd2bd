package io.coedge.cluster;

import com.hazelcast.core.HazelcastInstance;
import io.coedge.Gateway;
import io.coedge.config.CoedgeConfig;
import io.coedge.config.ConfigSource;
import io.vertx.core.internal.VertxInternal;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** Shared helpers for the cluster integration tests: ports, configs, the test model. */
final class ClusterTestSupport {

  static final Path MODELS = Path.of("src/test/resources/cluster-models");

  private ClusterTestSupport() {
  }

  /** A port free right now on {@code host} (a race with other processes is possible but unlikely on loopback). */
  static int freePort(String host) {
    return io.coedge.Ports.free(host);
  }

  static String reluSha256() {
    try {
      byte[] bytes = Files.readAllBytes(MODELS.resolve("relu/1/model.onnx"));
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Config of one clustered gateway on loopback with any free HTTP port. */
  static CoedgeConfig gatewayConfig(String cluster, String nodeId, int clusterPort, List<Integer> peers) {
    Map<String, String> m = new HashMap<>();
    m.put("node.id", nodeId);
    m.put("node.role", "cloud");
    m.put("http.port", "0");
    m.put("inference.models-dir", MODELS.toString());
    m.put("inference.workers", "1");
    m.put("cluster.enabled", "true");
    m.put("cluster.name", cluster);
    m.put("cluster.port", String.valueOf(clusterPort));
    m.put("cluster.members", String.join(",", peers.stream().map(p -> "127.0.0.1:" + p).toList()));
    m.put("cluster.merge-delay-s", "2");
    return CoedgeConfig.from(ConfigSource.of(m));
  }

  /** A node without models, for views run without a gateway. */
  static LocalNode localNode(String id) {
    return FixedNode.empty(id);
  }

  static HazelcastInstance hazelcast(Gateway g) {
    return ((HazelcastClusterManager) ((VertxInternal) g.vertx()).clusterManager()).getHazelcastInstance();
  }
}
