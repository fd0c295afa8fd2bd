package io.coedge.cluster;

import static io.coedge.Eventually.await;
import static io.coedge.cluster.ClusterTestSupport.freePort;
import static io.coedge.cluster.ClusterTestSupport.gatewayConfig;
import static io.coedge.cluster.ClusterTestSupport.hazelcast;
import static io.coedge.Eventually.within;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.nio.serialization.HazelcastSerializationException;
import com.hazelcast.replicatedmap.ReplicatedMap;
import io.coedge.Gateway;
import io.coedge.Http;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A rogue Hazelcast member (right cluster name, no allow-list of its own) joins a real node and puts
 * Java-serialized objects into the shared maps: the node must never deserialize them, and must stay healthy.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class RogueMemberIT {

  /** Records the thread of each of its deserializations: a gadget chain would run its payload right there. */
  static final class Gadget implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;
    static final List<String> READ_ON = new CopyOnWriteArrayList<>();
    private final String payload;

    Gadget(String payload) {
      this.payload = payload;
    }

    @Serial
    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
      in.defaultReadObject();
      READ_ON.add(Thread.currentThread().getName());
    }

    @Override
    public String toString() {
      return "Gadget(" + payload + ")";
    }
  }

  private static Gateway node;
  private static HazelcastInstance rogue;

  @BeforeAll
  static void startNodeAndRogue() {
    int nodePort = freePort("127.0.0.1");
    int roguePort = freePort("127.0.0.1");
    node = await(Gateway.start(gatewayConfig("it-rogue", "honest", nodePort, List.of(roguePort))));
    Config c = new Config().setClusterName("it-rogue").setInstanceName("rogue");
    c.setProperty("hazelcast.logging.type", "jdk");
    c.setProperty("hazelcast.phone.home.enabled", "false");
    c.setProperty("hazelcast.partition.count", "23");
    c.getNetworkConfig().setPort(roguePort).setPortAutoIncrement(false);
    c.getNetworkConfig().getInterfaces().setEnabled(true).addInterface("127.0.0.1");
    c.getNetworkConfig().getJoin().getMulticastConfig().setEnabled(false);
    c.getNetworkConfig().getJoin().getAutoDetectionConfig().setEnabled(false);
    c.getNetworkConfig().getJoin().getTcpIpConfig().setEnabled(true).addMember("127.0.0.1:" + nodePort);
    rogue = Hazelcast.newHazelcastInstance(c);
    within(20_000, "the rogue joined the node's cluster", () -> hazelcast(node).getCluster().getMembers().size() == 2);
    within(20_000, "partitions migrated to the rogue", () -> rogue.getPartitionService().getPartitions().stream()
        .anyMatch(p -> p.getOwner() != null && p.getOwner().localMember()));
  }

  @AfterAll
  static void stop() {
    if (rogue != null) {
      rogue.getLifecycleService().terminate();
    }
    if (node != null) {
      await(node.close().recover(e -> Future.succeededFuture()));
    }
  }

  @Test
  void javaSerializedValuesFromARogueMemberAreNeverDeserializedAndTheNodeStaysHealthy() {
    List<String> refused = new ArrayList<>();
    List<String> keptByRogue = new ArrayList<>();
    for (String map : List.of(HazelcastClusterView.NODES, HazelcastClusterView.VERSIONS)) {
      ReplicatedMap<Object, Object> m = rogue.getReplicatedMap(map);
      for (int i = 0; i < 12; i++) { // keys in partitions of either owner: a put goes to the owner first
        String key = "gadget-" + i;
        try {
          m.put(key, new Gadget("calc.exe"));
          keptByRogue.add(map + "/" + key);
        } catch (HazelcastSerializationException e) {
          assertTrue(e.getMessage().contains("Resolving class " + Gadget.class.getName() + " is not allowed"),
              e.getMessage());
          refused.add(map + "/" + key);
        }
        try {
          m.put(new Gadget("key-" + i), "{}");
        } catch (HazelcastSerializationException e) {
          refused.add(map + "/gadget key " + i);
        }
      }
      m.put("probe", "not a record"); // a plain string after the gadgets: proves replication reached the node
    }
    ReplicatedMap<Object, Object> seen = hazelcast(node).getReplicatedMap(HazelcastClusterView.NODES);
    ReplicatedMap<Object, Object> seenVersions = hazelcast(node).getReplicatedMap(HazelcastClusterView.VERSIONS);
    within(10_000, "the rogue's plain string entries reached the node",
        () -> "not a record".equals(seen.get("probe")) && "not a record".equals(seenVersions.get("probe")));

    assertFalse(refused.isEmpty(), "no put reached a partition the node owns");
    assertFalse(keptByRogue.isEmpty(), "no put stayed in a partition the rogue owns, to be replicated from there");
    // The rogue has no allow-list and deserializes its own gadgets; no other thread may.
    assertEquals(List.of(), readOutsideTheRogue(), "a non-allow-listed class was deserialized outside the rogue");
    for (ReplicatedMap<Object, Object> replica : List.of(seen, seenVersions)) {
      assertTrue(replica.keySet().stream().allMatch(k -> k instanceof String s && !s.startsWith("gadget-")),
          "the node's replica holds a gadget entry: " + replica.keySet());
    }

    try (Http http = new Http(node.port())) {
      assertEquals(200, http.get("/v2/health/ready").statusCode());
      JsonArray nodes = http.get("/v2/cluster/nodes").bodyAsJsonObject().getJsonArray("nodes");
      assertTrue(nodes.stream().map(JsonObject.class::cast).anyMatch(n -> n.getString("id").equals("honest")
          && n.getBoolean("fresh")), nodes.encode());
      JsonObject infer = new JsonObject().put("inputs", new JsonArray().add(new JsonObject().put("name", "x")
          .put("shape", new JsonArray().add(1).add(2)).put("datatype", "FP32")
          .put("data", new JsonArray().add(-1.0).add(2.0))));
      HttpResponse<Buffer> r = http.post("/v2/models/relu/infer", infer);
      assertEquals(200, r.statusCode(), r.bodyAsString());
      assertEquals(new JsonArray().add(0.0).add(2.0),
          r.bodyAsJsonObject().getJsonArray("outputs").getJsonObject(0).getJsonArray("data"));
    }
    assertEquals(List.of(), readOutsideTheRogue(), "a gadget was deserialized while the node served requests");
  }

  private static List<String> readOutsideTheRogue() {
    return Gadget.READ_ON.stream().filter(t -> !t.startsWith("hz.rogue.")).toList();
  }
}
