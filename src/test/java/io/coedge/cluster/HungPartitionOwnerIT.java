package io.coedge.cluster;

import static io.coedge.Eventually.await;
import static io.coedge.Eventually.within;
import static io.coedge.cluster.ClusterTestSupport.freePort;
import static io.coedge.cluster.ClusterTestSupport.localNode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.coedge.config.ClusterConfig;
import io.coedge.process.JarProcess;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A cluster member that hangs (a node process under SIGSTOP) must not make a healthy node's record go stale on the
 * others: a ReplicatedMap put runs on the owner of the key's partition, so while the hung member owns the partition
 * of the healthy writer's key its puts wait until Hazelcast removes the hung member (max-no-heartbeat, 5 s), longer
 * than a record stays fresh (2 s); an edge would stop offloading to the healthy node for that gap. The writer's id
 * is chosen, once the three members have settled, so that the hung member owns its partition.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class HungPartitionOwnerIT {

  @Test
  void aHealthyWritersRecordStaysFreshWhileTheOwnerOfItsPartitionHangs() throws Exception {
    String cluster = "it-hung-owner";
    int[] ports = {freePort("127.0.0.1"), freePort("127.0.0.1"), freePort("127.0.0.1")};
    List<ClusterConfig> configs = new ArrayList<>();
    List<HazelcastInstance> members = new ArrayList<>();
    Vertx vertx = Vertx.vertx();
    List<HazelcastClusterView> views = new ArrayList<>();
    JarProcess hung = null;
    try {
      for (int i = 0; i < 2; i++) {
        List<String> others = new ArrayList<>();
        for (int j = 0; j < 3; j++) {
          if (j != i) {
            others.add("127.0.0.1:" + ports[j]);
          }
        }
        ClusterConfig c = new ClusterConfig(true, cluster, "127.0.0.1", ports[i], others, 250, 2_000, 1, 5, 2, "", "");
        configs.add(c);
        members.add(Hazelcast.newHazelcastInstance(HazelcastSetup.config(c)));
      }
      hung = JarProcess.start(Map.of("COEDGE_CLUSTER_NAME", cluster, "COEDGE_CLUSTER_MEMBERS",
              "127.0.0.1:" + ports[0] + ",127.0.0.1:" + ports[1], "COEDGE_NODE_ROLE", "cloud"),
          "--port", Integer.toString(JarProcess.freePort()), "--cluster-port", Integer.toString(ports[2]),
          "--models", ClusterTestSupport.MODELS.toString());
      HazelcastInstance writer = members.get(0);
      HazelcastInstance reader = members.get(1);
      JarProcess p = hung;
      within(120_000, "three members, partitions settled", () -> members.stream()
          .allMatch(m -> m.getCluster().getMembers().size() == 3 && m.getPartitionService().isClusterSafe()));
      Member stopped = reader.getCluster().getMembers().stream()
          .filter(m -> !m.equals(writer.getCluster().getLocalMember()) && !m.localMember()).findFirst().orElseThrow();
      String id = ownedBy(writer, stopped);
      views.add(start(vertx, writer, configs.get(0), id));
      HazelcastClusterView edge = start(vertx, reader, configs.get(1), "edge");
      views.add(edge);
      within(30_000, "the reader sees " + id + " fresh", () -> fresh(edge, id));
      CountDownLatch removed = new CountDownLatch(1);
      reader.getCluster().addMembershipListener(new MembershipListener() {
        public void memberAdded(MembershipEvent e) {
        }

        public void memberRemoved(MembershipEvent e) {
          if (e.getMember().equals(stopped)) {
            removed.countDown();
          }
        }
      });
      long stoppedAt = System.currentTimeMillis();
      assertEquals(0, new ProcessBuilder("kill", "-STOP", Long.toString(p.process().pid())).start().waitFor());
      int looks = 0;
      List<Long> staleAt = new ArrayList<>();
      while (!removed.await(50, TimeUnit.MILLISECONDS)) { // each look at the table until the hung member is removed
        looks++;
        if (!fresh(edge, id)) {
          staleAt.add(System.currentTimeMillis() - stoppedAt);
        }
      }
      long lastWritten = edge.nodes().stream().filter(n -> n.id().equals(id)).findFirst().orElseThrow().record()
          .writtenAt();
      System.out.printf("hung partition owner: %d looks until it was removed, %d stale (ms after SIGSTOP: %s)%n",
          looks, staleAt.size(), staleAt.stream().limit(5).toList());
      assertTrue(lastWritten - stoppedAt > 2_000, "records kept coming past the staleness limit while it hung");
      assertEquals(List.of(), staleAt, "the healthy writer's record stayed fresh while its partition's owner hung");
    } finally {
      if (hung != null) {
        new ProcessBuilder("kill", "-CONT", Long.toString(hung.process().pid())).start().waitFor();
        hung.close();
      }
      views.forEach(v -> await(v.close()));
      members.forEach(m -> m.getLifecycleService().terminate());
      await(vertx.close());
    }
  }

  /** A node id whose partition {@code owner} owns, as {@code hz} sees it. */
  private static String ownedBy(HazelcastInstance hz, Member owner) {
    for (int i = 0; i < 1000; i++) {
      String id = "cloud-" + i;
      if (owner.equals(hz.getPartitionService().getPartition(id).getOwner())) {
        return id;
      }
    }
    throw new AssertionError("no key of the first 1000 lands on " + owner);
  }

  private static HazelcastClusterView start(Vertx vertx, HazelcastInstance hz, ClusterConfig c, String id) {
    HazelcastClusterView v = new HazelcastClusterView(vertx, hz, c, id, System::currentTimeMillis);
    await(v.start(localNode(id)));
    return v;
  }

  private static boolean fresh(ClusterView v, String id) {
    return v.nodes().stream().anyMatch(n -> n.id().equals(id) && n.fresh());
  }
}
