package io.coedge.cluster;

import com.hazelcast.core.DistributedObject;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.replicatedmap.ReplicatedMap;
import io.coedge.observability.MetricName;
import io.coedge.observability.Metrics;
import java.util.List;

/**
 * {@code coedge_cluster_map_entries{map}}: the entries in this member's copy of each shared map, so a soak can show
 * that the tables stay bounded. Read from the proxies the node already made (never creates one, so a scrape
 * before the maps exist reads 0 and does not wait on Hazelcast); a replicated map's size is a local count.
 */
public final class MapSizeMetrics {

  private MapSizeMetrics() {
  }

  public static void register(HazelcastInstance hz, Metrics metrics, List<String> maps) {
    for (String name : maps) {
      metrics.gauge(MetricName.CLUSTER_MAP_ENTRIES, () -> size(hz, name), name);
    }
  }

  private static int size(HazelcastInstance hz, String name) {
    if (!hz.getLifecycleService().isRunning()) {
      return 0;
    }
    for (DistributedObject o : hz.getDistributedObjects()) {
      if (o instanceof ReplicatedMap<?, ?> m && o.getName().equals(name)) {
        return m.size();
      }
    }
    return 0;
  }
}
