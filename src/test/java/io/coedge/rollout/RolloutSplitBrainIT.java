package io.coedge.rollout;

import static io.coedge.Eventually.await;
import static io.coedge.Eventually.within;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.coedge.Ports;
import io.coedge.cluster.HazelcastSetup;
import io.coedge.config.ClusterConfig;
import io.coedge.config.CoedgeConfig;
import io.coedge.config.ConfigSource;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A split brain during a rollout, on real Hazelcast members in this JVM: one member forms a cluster alone (its
 * peers are not up yet), two others form a second cluster with the same name, each side publishes a rollout of the
 * same model and a node state, then the lone member finds the others (its member list names them) and merges.
 * Nothing published on either side may be lost, nothing overwritten, and the two rollouts are a conflict that
 * every member resolves the same way: the older wins.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class RolloutSplitBrainIT {

  private final Vertx vertx = Vertx.vertx();
  private final List<HazelcastInstance> members = new ArrayList<>();
  private final List<HazelcastRolloutStore> stores = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (HazelcastRolloutStore s : stores) {
      await(s.close());
    }
    members.forEach(m -> m.getLifecycleService().terminate());
    await(vertx.close());
  }

  @Test
  void rolloutsPublishedOnBothSidesOfASplitSurviveTheMergeAsAConflictTheOlderWins() throws Exception {
    int[] ports = {Ports.free(), Ports.free(), Ports.free()};
    members.add(Hazelcast.newHazelcastInstance(HazelcastSetup.config(cluster(ports[0], ports[1], ports[2]))));
    HazelcastRolloutStore lone = store(0);
    RolloutRecord older = await(lone.publish(draft("2")));
    NodeRollout loneState = new NodeRollout("n0", "m", older.id(), "2", NodeRollout.State.FETCHING, 30, "", 5);
    await(lone.report(loneState));

    // One after the other: started together, each of the pair could find no master and elect itself, leaving
    // three clusters of one until the merge (seen on a quiet machine).
    members.add(Hazelcast.newHazelcastInstance(HazelcastSetup.config(cluster(ports[1], ports[2]))));
    members.add(Hazelcast.newHazelcastInstance(HazelcastSetup.config(cluster(ports[2], ports[1]))));
    HazelcastRolloutStore big = store(1);
    store(2);
    within(20_000, "the second cluster has two members", () -> members.get(1).getCluster().getMembers().size() == 2);
    assertEquals(1, members.get(0).getCluster().getMembers().size(), "the lone member is a cluster of its own");
    RolloutRecord newer = await(big.publish(draft("3")));
    assertEquals("", newer.supersedes(), "the second side never saw the first side's rollout");
    NodeRollout bigState = new NodeRollout("n1", "m", newer.id(), "3", NodeRollout.State.SERVING, 100, "", 6);
    await(big.report(bigState));

    within(90_000, "the lone member merged into the larger cluster", () -> members.stream()
        .allMatch(m -> m.getLifecycleService().isRunning() && m.getCluster().getMembers().size() == 3));
    within(30_000, "every member holds both rollouts and both node states", () -> stores.stream().allMatch(s ->
        s.plan().record(older.id()).equals(Optional.of(older))
            && s.plan().record(newer.id()).equals(Optional.of(newer))
            && s.states().containsAll(List.of(loneState, bigState))));
    for (HazelcastRolloutStore s : stores) {
      assertEquals(List.of(new RolloutPlan.Conflict("m", "", older.id(), List.of(newer.id()))), s.plan().conflicts());
      assertEquals(older.id(), s.plan().head("m").orElseThrow().id(), "the older rollout wins until one supersedes it");
    }
  }

  private HazelcastRolloutStore store(int i) throws Exception {
    HazelcastRolloutStore s = new HazelcastRolloutStore(vertx, members.get(i), "n" + i, System::currentTimeMillis,
        2000);
    await(s.start(100));
    stores.add(s);
    return s;
  }

  private static RolloutStore.Draft draft(String version) {
    return new RolloutStore.Draft("m", version, version.equals("2") ? Rollouts.SHA_A : Rollouts.SHA_B,
        RolloutRecord.Target.ALL, List.of(RolloutRecord.Stage.all()), RolloutRecord.Halt.DEFAULT, null);
  }

  private static ClusterConfig cluster(int self, int... peers) {
    List<String> list = new ArrayList<>();
    for (int p : peers) {
      list.add("127.0.0.1:" + p);
    }
    return CoedgeConfig.from(ConfigSource.of(Map.of("cluster.enabled", "true", "cluster.name", "it-rollout-split",
        "cluster.port", String.valueOf(self), "cluster.members", String.join(",", list),
        "cluster.merge-delay-s", "2"))).cluster();
  }
}
