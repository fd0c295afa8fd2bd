package io.coedge.routing;

import io.coedge.cluster.NodeEntry;
import io.coedge.cluster.NodeRecord;
import io.coedge.config.ConfigSource;
import io.coedge.config.CoedgeConfig;
import io.coedge.config.OffloadConfig;
import java.util.List;
import java.util.Map;

/** Builders for routing unit tests: node records, configs, estimates. */
final class Peers {

  static final String SHA = "a".repeat(64);

  private Peers() {
  }

  /** A fresh cloud node's entry serving {@code m/1} with this published load. */
  static NodeEntry cloud(String id, long writtenAt, int queued, double serviceUs, int workers) {
    NodeRecord.Model model = new NodeRecord.Model("m", "1", SHA, true, workers, queued, 0, serviceUs, 1, 0);
    return new NodeEntry(new NodeRecord(id, "", "cloud", "lab", "http://" + id + ":8080", "test", false, 1, writtenAt,
        List.of(model)), 0, true);
  }

  static OffloadConfig config(Map<String, String> values) {
    return CoedgeConfig.from(ConfigSource.of(values)).offload();
  }

  static OffloadConfig defaults() {
    return config(Map.of());
  }

  /** An estimate with only the figures the policy reads. */
  static CostModel.Estimate estimate(String id, double us, double price) {
    return new CostModel.Estimate(cloud(id, 0, 0, 1000, 1), us, us / 2, 0, us / 2, price, 0);
  }
}
