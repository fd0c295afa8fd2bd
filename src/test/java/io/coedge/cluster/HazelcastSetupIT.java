package io.coedge.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.nio.serialization.HazelcastSerializationException;
import io.coedge.config.ClusterConfig;
import java.io.Serializable;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The tuned configuration, checked on a real standalone member. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HazelcastSetupIT {

  /** Serializable, so Hazelcast would fall back to Java serialization for it. */
  record Gadget(String payload) implements Serializable {
  }

  private static HazelcastInstance member;

  @BeforeAll
  static void startStandaloneMember() {
    // cluster.host points elsewhere, but a member without peers must stay on loopback.
    ClusterConfig c = new ClusterConfig(true, "it-setup", "10.255.255.1", ClusterTestSupport.freePort("127.0.0.1"),
        List.of(), 250, 2_000, 1, 5, 10, "", "");
    member = Hazelcast.newHazelcastInstance(HazelcastSetup.config(c));
  }

  @AfterAll
  static void stop() {
    member.getLifecycleService().terminate();
  }

  @Test
  void aStandaloneMemberBindsLoopbackWithTheSmallPartitionTable() {
    assertEquals("127.0.0.1", member.getCluster().getLocalMember().getAddress().getHost());
    assertEquals(HazelcastSetup.PARTITIONS, member.getPartitionService().getPartitions().size());
    assertEquals(1, member.getCluster().getMembers().size());
  }

  @Test
  void javaDeserializationOfAClassOutsideTheAllowListIsRefused() {
    IMap<String, Object> map = member.getMap("it-setup-gadgets");
    map.put("k", new Gadget("rm -rf /"));
    HazelcastSerializationException e = assertThrows(HazelcastSerializationException.class, () -> map.get("k"));
    assertInstanceOf(SecurityException.class, rootCause(e));
  }

  @Test
  void stringsAndJdkLangValuesStillRoundTrip() {
    IMap<String, Object> map = member.getMap("it-setup-plain");
    map.put("s", "{\"format\":1}");
    map.put("e", new IllegalStateException("from a remote member"));
    assertEquals("{\"format\":1}", map.get("s"));
    assertEquals("from a remote member", ((Exception) map.get("e")).getMessage());
  }

  @Test
  void aSerializableLambdaIsRefusedThoughItsClassIsInJavaLang() {
    IMap<String, Object> map = member.getMap("it-setup-lambdas");
    map.put("k", (Runnable & Serializable) () -> { });
    HazelcastSerializationException e = assertThrows(HazelcastSerializationException.class, () -> map.get("k"));
    assertInstanceOf(SecurityException.class, rootCause(e));
  }

  @Test
  void theMemberPortDoesNotServeHazelcastClients() {
    ClientConfig cc = new ClientConfig().setClusterName("it-setup");
    cc.setProperty("hazelcast.logging.type", "jdk");
    cc.getNetworkConfig().addAddress("127.0.0.1:" + member.getCluster().getLocalMember().getAddress().getPort());
    cc.getConnectionStrategyConfig().getConnectionRetryConfig().setClusterConnectTimeoutMillis(3_000);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> HazelcastClient.newHazelcastClient(cc));
    assertTrue(e.getMessage().contains("Unable to connect"), e.getMessage());
  }

  private static Throwable rootCause(Throwable t) {
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }
}
