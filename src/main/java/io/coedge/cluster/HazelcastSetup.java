package io.coedge.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.coedge.config.ClusterConfig;
import java.util.List;

/** Builds the programmatic, small-box Hazelcast configuration from {@code cluster.*} keys (DESIGN §7.5). */
public final class HazelcastSetup {

  private HazelcastSetup() {
  }

  public static Config config(ClusterConfig c) {
    Config hz = new Config();
    hz.setClusterName(c.name());
    hz.setProperty("hazelcast.phone.home.enabled", "false");
    hz.setProperty("hazelcast.logging.type", "jdk");
    hz.setProperty("hazelcast.partition.count", "23");
    hz.setProperty("hazelcast.shutdownhook.enabled", "false");
    NetworkConfig net = hz.getNetworkConfig();
    net.setPort(c.port() == 0 ? 5701 : c.port()).setPortAutoIncrement(c.port() == 0);
    net.setPublicAddress(null);
    net.getInterfaces().setEnabled(true).addInterface(c.host());
    JoinConfig join = net.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    List<String> members = c.members().isEmpty() ? List.of(c.host()) : c.members();
    join.getTcpIpConfig().setEnabled(true).setMembers(members);
    return hz;
  }
}
