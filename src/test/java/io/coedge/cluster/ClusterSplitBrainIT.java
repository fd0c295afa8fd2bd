package io.coedge.cluster;

import static io.coedge.Eventually.await;
import static io.coedge.Eventually.within;
import static io.coedge.cluster.ClusterTestSupport.freePort;
import static io.coedge.cluster.ClusterTestSupport.localNode;
import static io.coedge.cluster.Records.sha;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import io.coedge.config.ClusterConfig;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Partitions a running three-member cluster by cutting links ({@link LinkCutter} in front of each member),
 * writes on both sides, heals, and checks that nothing written on either side is lost: the small side's
 * entries reach the large side through the configured merge policy (put-if-absent for versions), and the
 * large side's reach the merged member through the owners' re-send on join.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ClusterSplitBrainIT {

  private static final List<String> IPS = List.of("127.0.0.21", "127.0.0.22", "127.0.0.23");

  private final List<LinkCutter> cutters = new ArrayList<>();
  private final List<HazelcastInstance> members = new ArrayList<>();
  private final List<HazelcastClusterView> views = new ArrayList<>();
  private Vertx vertx;

  @BeforeEach
  void startThreeMembersBehindCutters() throws Exception {
    List<Integer> real = IPS.stream().map(ClusterTestSupport::freePort).toList();
    List<Integer> proxied = IPS.stream().map(ClusterTestSupport::freePort).toList();
    List<CompletableFuture<HazelcastInstance>> starting = new ArrayList<>();
    List<ClusterConfig> configs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      cutters.add(new LinkCutter(IPS.get(i), proxied.get(i), real.get(i)));
      List<String> others = new ArrayList<>();
      for (int j = 0; j < 3; j++) {
        if (j != i) {
          others.add(IPS.get(j) + ":" + proxied.get(j));
        }
      }
      ClusterConfig c = new ClusterConfig(true, "it-split-brain", IPS.get(i), real.get(i), others, 250, 2_000, 1, 5, 2,
          "", "");
      configs.add(c);
      Config hz = HazelcastSetup.config(c);
      // 127.0.0.2x is loopback but not an interface address, so bind it explicitly instead of by interface.
      HazelcastSetup.memberEndpoint(hz).getInterfaces().setEnabled(false);
      hz.setProperty("hazelcast.local.localAddress", IPS.get(i));
      // Peers reach this member only through its cutter.
      HazelcastSetup.memberEndpoint(hz).setPublicAddress(IPS.get(i) + ":" + proxied.get(i));
      starting.add(CompletableFuture.supplyAsync(() -> Hazelcast.newHazelcastInstance(hz)));
    }
    for (CompletableFuture<HazelcastInstance> f : starting) {
      members.add(f.get(60, TimeUnit.SECONDS));
    }
    vertx = Vertx.vertx();
    for (int i = 0; i < 3; i++) {
      HazelcastClusterView v = new HazelcastClusterView(vertx, members.get(i), configs.get(i), "s" + i,
          System::currentTimeMillis);
      await(v.start(localNode("s" + i)));
      views.add(v);
    }
    within(10_000, "one cluster of three", () -> members.stream().allMatch(m -> m.getCluster().getMembers().size() == 3)
        && views.stream().allMatch(v -> v.nodes().stream().filter(NodeEntry::fresh).count() == 3));
  }

  @AfterEach
  void stopAll() throws Exception {
    views.forEach(v -> await(v.close()));
    members.forEach(m -> m.getLifecycleService().terminate());
    for (LinkCutter c : cutters) {
      c.close();
    }
    await(vertx.close());
  }

  private static boolean holds(HazelcastClusterView v, Artifact a) {
    return v.versions().records().stream().anyMatch(r -> r.key().equals(a.key()));
  }

  private String describe() {
    StringBuilder b = new StringBuilder();
    for (HazelcastClusterView v : views) {
      b.append(v.nodeId()).append(" nodes=").append(v.nodes().stream().map(e -> e.id() + ":" + e.state()).toList())
          .append(" versions=").append(v.versions().records().stream().map(r -> r.artifact().version()).toList())
          .append(" members=").append(members.get(views.indexOf(v)).getCluster().getMembers().size()).append("; ");
    }
    return b.toString();
  }

  @Test
  void versionsWrittenOnBothSidesOfAPartitionSurviveTheHealEverywhere() throws Exception {
    cutters.get(0).block(Set.of(IPS.get(1), IPS.get(2)));
    cutters.get(1).block(Set.of(IPS.get(0)));
    cutters.get(2).block(Set.of(IPS.get(0)));
    within(30_000, "two clusters: {s0} and {s1, s2}", () ->
        members.get(0).getCluster().getMembers().size() == 1 && members.get(1).getCluster().getMembers().size() == 2
            && members.get(2).getCluster().getMembers().size() == 2);

    Artifact small = new Artifact(Artifact.DATA, "split", "1", sha('a'), 1, null);
    Artifact large = new Artifact(Artifact.DATA, "split", "2", sha('b'), 2, null);
    Artifact large2 = new Artifact(Artifact.MODEL, "split", "3", sha('c'), 3, null);
    await(views.get(0).publishVersion(small));
    await(views.get(1).publishVersion(large));
    await(views.get(2).publishVersion(large2));
    within(20_000, "each side sees its own writes", () -> holds(views.get(2), large) && holds(views.get(1), large2));
    assertTrue(!holds(views.get(1), small) && !holds(views.get(0), large), "the partition is real");
    within(20_000, "each side dropped the other side's node records", () ->
        views.get(0).nodes().stream().map(NodeEntry::id).toList().equals(List.of("s0"))
            && views.get(1).nodes().stream().map(NodeEntry::id).toList().equals(List.of("s1", "s2")));

    CountDownLatch merged = new CountDownLatch(1);
    members.get(0).getLifecycleService().addLifecycleListener(e -> {
      if (e.getState() == LifecycleEvent.LifecycleState.MERGED) {
        merged.countDown();
      }
    });
    cutters.forEach(LinkCutter::unblock);
    assertTrue(merged.await(30, TimeUnit.SECONDS), "the small side merged into the large one");
    try {
      within(30_000, "every entry and every node everywhere after the merge", () ->
        views.stream().allMatch(v -> holds(v, small) && holds(v, large) && holds(v, large2)
            && v.nodes().stream().filter(NodeEntry::usable).map(NodeEntry::id).toList()
            .equals(List.of("s0", "s1", "s2"))));
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; tables: " + describe(), e);
    }
    for (HazelcastClusterView v : views) {
      assertEquals(3, v.versions().size());
      assertEquals("2", v.currentVersion(Artifact.DATA, "split").orElseThrow().artifact().version());
      assertEquals(List.of("s0", "s1", "s2"), v.versions().records().stream().map(VersionRecord::publisher).sorted()
          .toList(), "no entry was overwritten by the merge");
      assertTrue(v.joined());
    }
    assertTrue(members.stream().allMatch(m -> m.getCluster().getMembers().size() == 3));
  }
}
