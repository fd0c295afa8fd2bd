package io.coedge.cluster;

import static io.coedge.Eventually.await;
import static io.coedge.Eventually.within;
import static io.coedge.cluster.ClusterTestSupport.freePort;
import static io.coedge.cluster.ClusterTestSupport.gatewayConfig;
import static io.coedge.cluster.ClusterTestSupport.hazelcast;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.core.EntryAdapter;
import com.hazelcast.core.EntryEvent;
import io.coedge.Gateway;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;

/** Three gateways in one JVM, clustered over loopback, each test on a fresh cluster. */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class ClusterMembershipIT {

  private static final String SHA = ClusterTestSupport.reluSha256();

  private final List<Gateway> nodes = new ArrayList<>();

  @BeforeEach
  void startThreeNodes(TestInfo test) {
    String cluster = "it-" + test.getTestMethod().orElseThrow().getName().hashCode();
    List<Integer> ports = List.of(freePort("127.0.0.1"), freePort("127.0.0.1"), freePort("127.0.0.1"));
    List<Future<Gateway>> starting = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      int self = ports.get(i);
      starting.add(Gateway.start(gatewayConfig(cluster, "n" + i, self,
          ports.stream().filter(p -> p != self).toList())));
    }
    for (Future<Gateway> f : starting) {
      nodes.add(await(f));
    }
  }

  @AfterEach
  void stopAll() {
    for (Gateway g : nodes) {
      await(g.close().recover(e -> Future.succeededFuture()));
    }
  }

  private ClusterView view(int i) {
    return nodes.get(i).cluster();
  }

  private static List<String> ids(List<NodeEntry> entries) {
    return entries.stream().map(NodeEntry::id).toList();
  }

  @Test
  void everyNodeSeesEveryRecordFreshAndEveryNodeAsACandidateForTheSameBytes() {
    within(30_000, "all three records fresh on all three nodes", () -> nodes.stream()
        .allMatch(g -> g.cluster().nodes().stream().filter(NodeEntry::fresh).count() == 3));
    for (int i = 0; i < 3; i++) {
      assertEquals(List.of("n0", "n1", "n2"), ids(view(i).candidates("relu", "1", SHA)));
      assertTrue(view(i).joined());
      assertEquals("1", view(i).currentVersion("model", "relu").orElseThrow().artifact().version());
    }
    assertTrue(view(1).candidates("relu", "1", "0".repeat(64)).isEmpty(), "other bytes are not the same model");
  }

  private static String state(Object raw) {
    try {
      return raw == null ? "" : RecordCodec.decodeNode("n2", raw).draining() ? "/draining" : "/serving";
    } catch (BadRecordException e) {
      return "/bad: " + e.getMessage();
    }
  }

  @Test
  void aGracefulStopMarksTheNodeDrainingThenRemovesIt() {
    within(30_000, "n2 fresh on n0", () -> view(0).node("n2").map(NodeEntry::usable).orElse(false));
    List<String> seen = new CopyOnWriteArrayList<>();
    // What n0's replica of the node map goes through for n2, as Hazelcast delivers it.
    hazelcast(nodes.get(0)).getReplicatedMap(HazelcastClusterView.NODES).addEntryListener(new EntryAdapter<>() {
      @Override
      public void onEntryEvent(EntryEvent<Object, Object> e) {
        if (e.getKey().equals("n2")) {
          seen.add(e.getEventType() + state(e.getValue()));
        }
      }
    });
    Gateway leaving = nodes.remove(2);
    await(leaving.close());
    within(30_000, "n2 gone from n0 and n1", () -> view(0).node("n2").isEmpty() && view(1).node("n2").isEmpty());
    within(30_000, "removal delivered", () -> seen.contains("REMOVED"));
    List<String> order = seen.stream().distinct().filter(t -> !t.equals("UPDATED/serving")).toList();
    assertEquals(List.of("UPDATED/draining", "REMOVED"), order, "seen: " + seen);
    assertEquals(List.of("n0", "n1"), ids(view(1).candidates("relu", "1", SHA)));
  }

  @Test
  void aKilledMemberLeavesEverySurvivorsCandidatesAndASurvivorRemovesItsRecord() {
    within(30_000, "n2 a candidate on n0 and n1", () -> ids(view(0).candidates("relu", "1", SHA)).contains("n2")
        && ids(view(1).candidates("relu", "1", SHA)).contains("n2"));
    Gateway victim = nodes.remove(2);
    hazelcast(victim).getLifecycleService().terminate(); // no goodbye: as if the process died
    within(30_000, "n2 out of every survivor's candidates", () ->
        !ids(view(0).candidates("relu", "1", SHA)).contains("n2")
            && !ids(view(1).candidates("relu", "1", SHA)).contains("n2"));
    within(30_000, "n2's record removed by a survivor", () ->
        view(0).node("n2").isEmpty() && view(1).node("n2").isEmpty());
    await(victim.vertx().close().recover(e -> Future.succeededFuture()));
  }
}
