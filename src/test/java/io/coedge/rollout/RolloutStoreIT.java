package io.coedge.rollout;

import static io.coedge.Eventually.within;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.replicatedmap.ReplicatedMap;
import io.coedge.Ports;
import io.coedge.cluster.HazelcastSetup;
import io.coedge.config.ClusterConfig;
import io.coedge.config.CoedgeConfig;
import io.coedge.config.ConfigSource;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The rollout table on two real Hazelcast members in this JVM. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RolloutStoreIT {

  private static final Vertx VERTX = Vertx.vertx();
  private static HazelcastInstance hzA;
  private static HazelcastInstance hzB;
  private static HazelcastRolloutStore a;
  private static HazelcastRolloutStore b;

  @BeforeAll
  static void twoMembers() throws Exception {
    int pa = Ports.free();
    int pb = Ports.free();
    hzA = Hazelcast.newHazelcastInstance(HazelcastSetup.config(cluster(pa, pb)));
    hzB = Hazelcast.newHazelcastInstance(HazelcastSetup.config(cluster(pb, pa)));
    within(20_000, "two members", () -> hzA.getCluster().getMembers().size() == 2);
    a = new HazelcastRolloutStore(VERTX, hzA, "a", System::currentTimeMillis, 2000);
    b = new HazelcastRolloutStore(VERTX, hzB, "b", System::currentTimeMillis, 2000);
    await(a.start(50));
    await(b.start(50));
  }

  @AfterAll
  static void stop() throws Exception {
    await(a.close());
    await(b.close());
    hzA.shutdown();
    hzB.shutdown();
    await(VERTX.close());
  }

  @Test
  void recordsReplicateChainAndComeBackWhenTheMapLosesThem() throws Exception {
    RolloutRecord first = await(a.publish(draft("m1", "1")));
    within(5_000, "b sees a's rollout", () -> b.plan().record(first.id()).isPresent());
    RolloutRecord second = await(b.publish(draft("m1", "2")));
    assertEquals(first.id(), second.supersedes(), "a new rollout supersedes the model's head by default");
    within(5_000, "a sees b's rollout as the head", () -> a.plan().head("m1").map(RolloutRecord::id)
        .orElse("").equals(second.id()));
    assertTrue(a.plan().conflicts().isEmpty());

    ReplicatedMap<Object, Object> map = hzB.getReplicatedMap(HazelcastRolloutStore.ROLLOUTS);
    map.remove(first.id()); // what a lossy merge would do
    within(5_000, "a holder writes the lost record back", () -> map.containsKey(first.id())
        && hzA.getReplicatedMap(HazelcastRolloutStore.ROLLOUTS).containsKey(first.id()));
    assertEquals(first, RolloutCodec.decode(first.id(), map.get(first.id())));
  }

  @Test
  void garbageInTheMapIsCountedAndSkipped() {
    long before = b.rejected();
    hzA.getReplicatedMap(HazelcastRolloutStore.ROLLOUTS).put("junk", "{\"format\":1,\"id\":\"junk\"}");
    within(5_000, "b rejects the bad entry", () -> b.rejected() > before);
    assertTrue(b.plan().record("junk").isEmpty());
  }

  @Test
  void eachNodesProgressReachesTheOthers() throws Exception {
    NodeRollout s = new NodeRollout("a", "m2", "1.0-abcdef01", "3", NodeRollout.State.FETCHING, 40, "", 5);
    await(a.report(s));
    within(5_000, "b sees a's progress", () -> b.states().contains(s));
  }

  private static RolloutStore.Draft draft(String model, String version) {
    return new RolloutStore.Draft(model, version, Rollouts.SHA_A, RolloutRecord.Target.ALL,
        List.of(RolloutRecord.Stage.all()), RolloutRecord.Halt.DEFAULT, null);
  }

  private static ClusterConfig cluster(int self, int peer) {
    return CoedgeConfig.from(ConfigSource.of(Map.of("cluster.enabled", "true", "cluster.name", "it-rollout-store",
        "cluster.port", String.valueOf(self), "cluster.members", "127.0.0.1:" + peer))).cluster();
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
