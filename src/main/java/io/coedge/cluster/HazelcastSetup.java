package io.coedge.cluster;

import com.hazelcast.config.AdvancedNetworkConfig;
import com.hazelcast.config.ClassFilter;
import com.hazelcast.config.Config;
import com.hazelcast.config.InMemoryFormat;
import com.hazelcast.config.JavaSerializationFilterConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MergePolicyConfig;
import com.hazelcast.config.ReplicatedMapConfig;
import com.hazelcast.config.ServerSocketEndpointConfig;
import com.hazelcast.instance.EndpointQualifier;
import com.hazelcast.spi.merge.LatestUpdateMergePolicy;
import com.hazelcast.spi.merge.PutIfAbsentMergePolicy;
import io.coedge.config.ClusterConfig;

/**
 * Builds the programmatic, small-box Hazelcast configuration from {@code cluster.*} keys (DESIGN §7.5).
 *
 * <p>Failure detection (defaults): heartbeat every {@code cluster.heartbeat-s} = 1 s, deadline detector,
 * a member silent for {@code cluster.max-no-heartbeat-s} = 5 s is removed. A process that dies with its
 * sockets (kill -9) is usually removed faster, after 3 failed reconnects 100 ms apart. Independently of
 * Hazelcast, readers drop a node whose record is older than {@code cluster.stale-after-ms} (2 s).
 *
 * <p>Footprint: 23 partitions instead of 271, one IO thread each way, two partition and one generic
 * operation thread, two event threads, Hazelcast's own metrics, health monitor and phone-home off, Jet
 * off (the 5.x default). Only the two replicated maps of DESIGN §7, the notes map, the node-record topic
 * ({@link RecordBroadcast}) and Vert.x's own structures live in it.
 *
 * <p>Split brain: {@value HazelcastClusterView#VERSIONS} merges with put-if-absent, so a key present on either
 * side survives (values under one key describe the same bytes); {@value HazelcastClusterView#NODES} merges
 * with latest-update, so the owner's newer record wins and a key from either side survives; owners re-publish
 * within one publish interval anyway. Both maps hold JSON strings only, so nothing of ours is Java-deserialized;
 * the Java deserialization allow-list admits only JDK-lang and Hazelcast classes (exceptions in responses).
 *
 * <p>Exposure (docs/adr/cluster-hardening.md): the member port is the only endpoint, bound to one interface and
 * speaking only the member protocol: no client, REST or memcache endpoint, so nothing but a member (with the
 * cluster name) gets in; {@link io.coedge.config.ClusterConfig} refuses exposed addresses without an overlay.
 */
public final class HazelcastSetup {

  /** Standalone members bind here, whatever {@code cluster.host} says (DESIGN §7.6). */
  public static final String LOOPBACK = "127.0.0.1";
  static final int PARTITIONS = 23;

  private HazelcastSetup() {
  }

  public static Config config(ClusterConfig c) {
    Config hz = new Config();
    hz.setClusterName(c.name());
    hz.setProperty("hazelcast.logging.type", "jdk");
    hz.setProperty("hazelcast.phone.home.enabled", "false");
    hz.setProperty("hazelcast.shutdownhook.enabled", "false"); // Main shuts down in order
    hz.setProperty("hazelcast.graceful.shutdown.max.wait", "10");
    hz.setProperty("hazelcast.partition.count", String.valueOf(PARTITIONS));
    hz.setProperty("hazelcast.heartbeat.failuredetector.type", "deadline");
    hz.setProperty("hazelcast.heartbeat.interval.seconds", String.valueOf(c.heartbeatSeconds()));
    hz.setProperty("hazelcast.max.no.heartbeat.seconds", String.valueOf(c.maxNoHeartbeatSeconds()));
    hz.setProperty("hazelcast.merge.first.run.delay.seconds", String.valueOf(c.mergeDelaySeconds()));
    hz.setProperty("hazelcast.merge.next.run.delay.seconds", String.valueOf(c.mergeDelaySeconds()));
    // The oldest member waits this long for others before forming a cluster; 5 s/20 s by default.
    hz.setProperty("hazelcast.wait.seconds.before.join", "1");
    hz.setProperty("hazelcast.max.wait.seconds.before.join", "5");
    hz.setProperty("hazelcast.health.monitoring.level", "OFF");
    hz.setProperty("hazelcast.io.input.thread.count", "1");
    hz.setProperty("hazelcast.io.output.thread.count", "1");
    hz.setProperty("hazelcast.operation.thread.count", "2");
    hz.setProperty("hazelcast.operation.generic.thread.count", "1");
    hz.setProperty("hazelcast.event.thread.count", "2");
    hz.setProperty("hazelcast.event.queue.capacity", "10000");
    // Listen and connect from the configured interface only, never 0.0.0.0.
    hz.setProperty("hazelcast.socket.bind.any", "false");
    hz.setProperty("hazelcast.socket.client.bind.any", "false");
    hz.getMetricsConfig().setEnabled(false);
    hz.getNetworkConfig().getRestApiConfig().setEnabled(false);
    hz.getNetworkConfig().getMemcacheProtocolConfig().setEnabled(false);
    network(hz.getAdvancedNetworkConfig(), c);
    hz.addReplicatedMapConfig(replicatedMap(HazelcastClusterView.NODES, LatestUpdateMergePolicy.class));
    hz.addReplicatedMapConfig(replicatedMap(HazelcastClusterView.VERSIONS, PutIfAbsentMergePolicy.class));
    hz.getSerializationConfig().setJavaSerializationFilterConfig(allowList());
    return hz;
  }

  /**
   * The advanced network config with only its default member endpoint: unlike the plain one, whose port also
   * answers Hazelcast clients (which could read and write every map), it opens no client, REST or memcache port.
   */
  private static void network(AdvancedNetworkConfig net, ClusterConfig c) {
    String host = c.standalone() ? LOOPBACK : c.host();
    net.setEnabled(true);
    ServerSocketEndpointConfig member = new ServerSocketEndpointConfig();
    member.setPort(c.port() == 0 ? 5701 : c.port()).setPortAutoIncrement(c.port() == 0);
    member.getInterfaces().setEnabled(true).addInterface(host);
    net.setMemberEndpointConfig(member);
    JoinConfig join = net.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    // Standalone: no join method at all, so a laptop's nodes never find each other by scanning ports.
    join.getTcpIpConfig().setEnabled(!c.standalone()).setMembers(c.members()).setConnectionTimeoutSeconds(2);
  }

  /** The member endpoint of a config built here: its port, interfaces and public address. */
  static ServerSocketEndpointConfig memberEndpoint(Config hz) {
    return (ServerSocketEndpointConfig) hz.getAdvancedNetworkConfig().getEndpointConfigs()
        .get(EndpointQualifier.MEMBER);
  }

  private static ReplicatedMapConfig replicatedMap(String name, Class<?> mergePolicy) {
    return new ReplicatedMapConfig(name)
        .setInMemoryFormat(InMemoryFormat.OBJECT) // values are immutable Strings: reads skip deserialization
        .setAsyncFillup(true)
        .setStatisticsEnabled(false)
        .setMergePolicyConfig(new MergePolicyConfig(mergePolicy.getName(), MergePolicyConfig.DEFAULT_BATCH_SIZE));
  }

  /**
   * Java deserialization only for the classes Hazelcast itself may send Java-serialized (exceptions in
   * remote responses, their stack traces and suppressed lists). Our map values are Strings and Vert.x's
   * structures are DataSerializable, neither of which goes through Java serialization.
   */
  static JavaSerializationFilterConfig allowList() {
    ClassFilter allowed = new ClassFilter()
        .addClasses("java.util.ArrayList", "java.util.Collections$EmptyList",
            "java.util.Collections$UnmodifiableRandomAccessList", "java.util.Collections$UnmodifiableList")
        .addPrefixes("java.lang.", "[Ljava.lang.", "com.hazelcast.");
    // java.lang.invoke.SerializedLambda and reflection proxies are the usual links of gadget chains.
    ClassFilter denied = new ClassFilter().addPrefixes("java.lang.invoke.", "java.lang.reflect.",
        "[Ljava.lang.invoke.", "[Ljava.lang.reflect.");
    return new JavaSerializationFilterConfig().setDefaultsDisabled(true).setWhitelist(allowed).setBlacklist(denied);
  }
}
