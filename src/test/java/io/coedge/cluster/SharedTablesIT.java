package io.coedge.cluster;

import static io.coedge.Eventually.await;
import static io.coedge.Eventually.within;
import static io.coedge.cluster.ClusterTestSupport.freePort;
import static io.coedge.cluster.ClusterTestSupport.gatewayConfig;
import static io.coedge.cluster.ClusterTestSupport.hazelcast;
import static io.coedge.cluster.Records.sha;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.replicatedmap.ReplicatedMap;
import io.coedge.Gateway;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
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

/** Version conflicts and garbage in the shared maps, on one three-node cluster in this JVM. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class SharedTablesIT {

  private static final List<Gateway> NODES = new ArrayList<>();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void startThreeNodes() {
    List<Integer> ports = List.of(freePort("127.0.0.1"), freePort("127.0.0.1"), freePort("127.0.0.1"));
    List<Future<Gateway>> starting = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      int self = ports.get(i);
      starting.add(Gateway.start(gatewayConfig("it-shared-tables", "n" + i, self,
          ports.stream().filter(p -> p != self).toList())));
    }
    starting.forEach(f -> NODES.add(await(f)));
    within(30_000, "three fresh nodes everywhere", () -> NODES.stream()
        .allMatch(g -> g.cluster().nodes().stream().filter(NodeEntry::fresh).count() == 3));
  }

  @AfterAll
  static void stopAll() {
    NODES.forEach(g -> await(g.close().recover(e -> Future.succeededFuture())));
  }

  private static ClusterView view(int i) {
    return NODES.get(i).cluster();
  }

  @Test
  void twoNodesPublishingOneVersionWithDifferentBytesKeepBothAndEveryNodeReportsTheConflict() {
    Artifact fromN0 = new Artifact(Artifact.DATA, "labels", "7", sha('a'), 10, null);
    Artifact fromN1 = new Artifact(Artifact.DATA, "labels", "7", sha('b'), 11, null);
    Artifact older = new Artifact(Artifact.DATA, "labels", "6", sha('c'), 9, null);
    // Issued back to back: both writes are in flight on two members at the same time.
    List<Future<VersionRecord>> writes = List.of(view(0).publishVersion(fromN0), view(1).publishVersion(fromN1),
        view(2).publishVersion(older));
    writes.forEach(io.coedge.Eventually::await);
    within(20_000, "all three entries on all three nodes", () -> NODES.stream().allMatch(g ->
        g.cluster().versions().records().stream().filter(r -> r.artifact().name().equals("labels")).count() == 3));
    for (int i = 0; i < 3; i++) {
      List<VersionSet.Conflict> conflicts = view(i).conflicts();
      assertEquals(1, conflicts.size(), "node n" + i);
      assertEquals("labels", conflicts.get(0).name());
      assertEquals(List.of("n0", "n1"), conflicts.get(0).entries().stream().map(VersionRecord::publisher).toList());
      assertEquals(view(0).currentVersion(Artifact.DATA, "labels"), view(i).currentVersion(Artifact.DATA, "labels"));
      assertEquals("6", view(i).currentVersion(Artifact.DATA, "labels").orElseThrow().artifact().version());
    }
  }

  @Test
  void garbageInTheSharedMapsIsLoggedAndIgnoredAndTheEndpointsStillAnswer() throws Exception {
    List<String> warnings = new CopyOnWriteArrayList<>();
    Handler capture = new Handler() {
      public void publish(LogRecord r) {
        if (r.getLevel() == Level.WARNING) {
          warnings.add(r.getMessage());
        }
      }

      public void flush() {
      }

      public void close() {
      }
    };
    Logger.getLogger(ClusterTable.class.getName()).addHandler(capture);
    try {
      long before = view(1).rejectedRecords();
      ReplicatedMap<Object, Object> nodes = hazelcast(NODES.get(0)).getReplicatedMap(HazelcastClusterView.NODES);
      ReplicatedMap<Object, Object> versions = hazelcast(NODES.get(0)).getReplicatedMap(HazelcastClusterView.VERSIONS);
      nodes.put("wrong-type", 42);
      nodes.put("not-json", "}{");
      nodes.put("huge", "{\"format\":1,\"id\":\"huge\",\"site\":\"" + "x".repeat(1_000_000) + "\"}");
      nodes.put("future", RecordCodec.encode(Records.node("future", System.currentTimeMillis() + 86_400_000L)));
      nodes.put(12_345, "a key that is not a string");
      JsonObject tooMany = RecordCodec.toJson(Records.node("too-many", System.currentTimeMillis()));
      JsonArray models = new JsonArray();
      for (int i = 0; i < 300; i++) {
        models.add(RecordCodec.toJson(Records.node("x", 1, Records.ready("m" + i, "1", sha('a'))))
            .getJsonArray("models").getValue(0));
      }
      nodes.put("too-many", tooMany.put("models", models).encode());
      versions.put("model/relu/1/zzz", "{}");
      versions.put("junk", "x");
      versions.put("model/relu/9/" + sha('d'), "{\"format\":1,\"publisher\":[],\"hlcMs\":1,\"hlcCounter\":0,\"size\":1}");

      within(20_000, "nine rejections on n1", () -> view(1).rejectedRecords() - before >= 9);
      within(20_000, "a warning per map", () -> warnings.stream().anyMatch(w -> w.contains(HazelcastClusterView.NODES))
          && warnings.stream().anyMatch(w -> w.contains(HazelcastClusterView.VERSIONS)));
      int port = NODES.get(1).port();
      HttpResponse<String> table = get(port, "/v2/cluster/nodes");
      assertEquals(200, table.statusCode());
      assertEquals(List.of("n0", "n1", "n2"), new JsonObject(table.body()).getJsonArray("nodes").stream()
          .map(o -> ((JsonObject) o).getString("id")).toList());
      HttpResponse<String> versionTable = get(port, "/v2/cluster/versions");
      assertEquals(200, versionTable.statusCode());
      assertTrue(versionTable.body().contains("\"name\":\"relu\""));
      assertEquals(3, view(2).candidates("relu", "1", ClusterTestSupport.reluSha256()).size());
    } finally {
      Logger.getLogger(ClusterTable.class.getName()).removeHandler(capture);
    }
  }

  private static HttpResponse<String> get(int port, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
