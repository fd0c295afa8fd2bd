package io.coedge.scaling;

import io.coedge.cluster.NodeEntry;
import io.coedge.cluster.NodeRecord;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.ToLongFunction;

/**
 * One model's demand on the cloud tier, read from the node table: offered load (requests the cloud nodes
 * received plus those edges refused that the cloud could have taken), per-request service time and workers per
 * node (averaged over the cloud nodes that measured it), the cloud nodes serving it now and the desired count.
 *
 * @param arrivalsPerS offered load, requests/s
 * @param serviceUs    per-request service time on a cloud node (one batch's time / its rows), µs; 0 = unmeasured
 * @param batchUs      one batch's time, µs
 * @param workers      workers per cloud node
 * @param nodes        fresh, non-draining cloud nodes serving the model
 * @param objectiveUs  the model's latency objective, µs (0 = none)
 * @param desired      the nodes {@link Sizing#nodesFor} asks for (0 when unmeasured or idle)
 */
public record ModelDemand(String model, double arrivalsPerS, double serviceUs, double batchUs, int workers,
    int nodes, long objectiveUs, int desired) {

  /** Requests/s one node serves at full utilisation (0 when unmeasured). */
  public double capacityPerNode() {
    return serviceUs <= 0 ? 0 : workers * 1e6 / serviceUs;
  }

  /** Offered load over the current nodes' capacity (may exceed 1; infinite with demand and no node). */
  public double utilisation() {
    double cap = capacityPerNode() * nodes;
    return cap > 0 ? arrivalsPerS / cap : arrivalsPerS > 0 ? Double.POSITIVE_INFINITY : 0;
  }

  /** Expected response time on the current nodes, µs. */
  public double predictedUs() {
    return Sizing.responseUs(nodes, workers, arrivalsPerS, serviceUs, batchUs);
  }

  JsonObject toJson() {
    return new JsonObject().put("model", model).put("role", "cloud").put("arrivalsPerS", round(arrivalsPerS))
        .put("serviceUs", round(serviceUs)).put("workersPerNode", workers).put("capacityPerNodePerS",
            round(capacityPerNode())).put("currentNodes", nodes).put("utilisation", finite(utilisation()))
        .put("objectiveUs", objectiveUs).put("predictedUs", finite(predictedUs())).put("desiredNodes", desired);
  }

  private static double round(double d) {
    return Math.round(d * 100) / 100.0;
  }

  private static Double finite(double d) {
    return Double.isFinite(d) ? round(d) : null;
  }

  /** Every model some cloud node serves or some edge sheds, by name, from the fresh records of {@code table}. */
  static List<ModelDemand> of(List<NodeEntry> table, ToLongFunction<String> objectiveUs, double target,
      int maxNodes) {
    Map<String, double[]> acc = new TreeMap<>(); // unused, service sum, batch sum, workers sum, measured
    Map<String, Map<String, Double>> offered = new HashMap<>(); // per model, per node: each version carries the name's
    Map<String, Set<String>> serving = new HashMap<>(); // a node serving two versions is still one node
    for (NodeEntry e : table) {
      if (!e.fresh()) {
        continue;
      }
      boolean cloud = "cloud".equals(e.record().role());
      for (NodeRecord.Model m : e.record().models()) {
        double[] a = acc.computeIfAbsent(m.name(), k -> new double[5]);
        offered.computeIfAbsent(m.name(), k -> new HashMap<>()).merge(e.id(), cloud ? m.arrivalsPerS()
            : m.shedPerS(), Math::max);
        if (cloud && m.ready() && m.serviceUs() > 0) {
          a[1] += m.serviceUs() / Math.max(1, m.batchRows());
          a[2] += m.serviceUs();
          a[3] += Math.max(1, m.workers());
          a[4]++;
        }
        Set<String> nodes = serving.computeIfAbsent(m.name(), k -> new HashSet<>());
        if (cloud && m.ready() && !e.record().draining()) {
          nodes.add(e.id());
        }
      }
    }
    List<ModelDemand> out = new ArrayList<>();
    acc.forEach((name, a) -> {
      a[0] = offered.get(name).values().stream().mapToDouble(Double::doubleValue).sum();
      double measured = a[4];
      double service = measured == 0 ? 0 : a[1] / measured;
      double batch = measured == 0 ? 0 : a[2] / measured;
      int workers = measured == 0 ? 1 : (int) Math.max(1, Math.round(a[3] / measured));
      long objective = objectiveUs.applyAsLong(name);
      int desired = Sizing.nodesFor(a[0], service, workers, batch, objective, target, maxNodes);
      out.add(new ModelDemand(name, a[0], service, batch, workers, serving.get(name).size(), objective, desired));
    });
    return out;
  }
}
