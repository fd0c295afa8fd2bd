package io.coedge.cluster;

import static io.coedge.cluster.ClusterTestSupport.await;
import static io.coedge.cluster.ClusterTestSupport.freePort;
import static io.coedge.cluster.ClusterTestSupport.gatewayConfig;
import static io.coedge.cluster.ClusterTestSupport.hazelcast;
import static io.coedge.cluster.ClusterTestSupport.within;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.replicatedmap.ReplicatedMap;
import io.coedge.Gateway;
import io.coedge.Http;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serial;
import java.io.Serializable;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
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

  /** Counts its own deserializations: a gadget chain would run its payload exactly where this counts. */
  static final class Gadget implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;
    static final AtomicInteger DESERIALIZED = new AtomicInteger();
    private final String payload;

    Gadget(String payload) {
      this.payload = payload;
    }

    @Serial
    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
      in.defaultReadObject();
      DESERIALIZED.incrementAndGet();
    }

    @Override
    public String toString() {
      return "Gadget(" + payload + ")";
    }
  }

  private static final List<LogRecord> REFUSALS = new CopyOnWriteArrayList<>();
  private static final Handler CAPTURE = new Handler() {
    @Override
    public void publish(LogRecord r) {
      for (Throwable t = r.getThrown(); t != null; t = t.getCause()) {
        if (t instanceof SecurityException && String.valueOf(t.getMessage()).contains(Gadget.class.getName())) {
          REFUSALS.add(r);
          return;
        }
      }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
  };

  private static Gateway node;
  private static HazelcastInstance rogue;

  @BeforeAll
  static void startNodeAndRogue() {
    Logger.getLogger("com.hazelcast").addHandler(CAPTURE);
    int nodePort = freePort("127.0.0.1");
    int roguePort = freePort("127.0.0.1");
    node = await(Gateway.start(gatewayConfig("it-rogue", "honest", nodePort, List.of(roguePort))));
    Config c = new Config().setClusterName("it-rogue");
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
  }

  @AfterAll
  static void stop() {
    if (rogue != null) {
      rogue.getLifecycleService().terminate();
    }
    if (node != null) {
      await(node.close().recover(e -> Future.succeededFuture()));
    }
    Logger.getLogger("com.hazelcast").removeHandler(CAPTURE);
  }

  @Test
  void javaSerializedValuesFromARogueMemberAreNeverDeserializedAndTheNodeStaysHealthy() {
    for (String map : List.of(HazelcastClusterView.NODES, HazelcastClusterView.VERSIONS)) {
      ReplicatedMap<Object, Object> m = rogue.getReplicatedMap(map);
      for (int i = 0; i < 12; i++) { // spread over partitions owned by either member
        try {
          m.put("gadget-" + i, new Gadget("calc.exe"));
        } catch (RuntimeException refusedByTheOwner) {
          // the node owned this key's partition and refused to read the value: the rogue sees an error
        }
        try {
          m.put(new Gadget("key-" + i), "{}");
        } catch (RuntimeException refusedByTheOwner) {
          // as above, for a non-string key
        }
      }
      m.put("probe", "not a record"); // a plain string after the gadgets: proves replication reached the node
    }
    ReplicatedMap<Object, Object> seen = hazelcast(node).getReplicatedMap(HazelcastClusterView.NODES);
    ReplicatedMap<Object, Object> seenVersions = hazelcast(node).getReplicatedMap(HazelcastClusterView.VERSIONS);
    within(10_000, "the rogue's plain string entries reached the node",
        () -> "not a record".equals(seen.get("probe")) && "not a record".equals(seenVersions.get("probe")));

    assertEquals(0, Gadget.DESERIALIZED.get(), "a non-allow-listed class was deserialized");
    assertTrue(seen.keySet().stream().noneMatch(k -> String.valueOf(k).startsWith("gadget-")),
        "the node's replica holds a gadget entry: " + seen.keySet());
    assertFalse(REFUSALS.isEmpty(), "the node logged no refusal naming the gadget class");

    try (Http http = new Http(node.port())) {
      assertEquals(200, http.get("/v2/health/ready").statusCode());
      JsonArray nodes = http.get("/v2/cluster/nodes").bodyAsJsonObject().getJsonArray("nodes");
      assertTrue(nodes.stream().map(JsonObject.class::cast).anyMatch(n -> n.getString("id").equals("honest")
          && n.getBoolean("fresh")), nodes.encode());
      JsonObject infer = new JsonObject().put("inputs", new JsonArray().add(new JsonObject().put("name", "x")
          .put("shape", new JsonArray().add(1).add(4)).put("datatype", "FP32")
          .put("data", new JsonArray().add(-1.0).add(2.0).add(-3.0).add(4.0))));
      var r = http.post("/v2/models/relu/infer", infer);
      assertEquals(200, r.statusCode(), r.bodyAsString());
      assertEquals(new JsonArray().add(0.0).add(2.0).add(0.0).add(4.0),
          r.bodyAsJsonObject().getJsonArray("outputs").getJsonObject(0).getJsonArray("data"));
    }
    assertEquals(0, Gadget.DESERIALIZED.get(), "a gadget was deserialized while the node served requests");
  }
}
