package io.coedge.config;

import java.util.HashMap;
import java.util.Map;

/**
 * When and where an edge node sends requests to cloud nodes (DESIGN §6): the cost model's defaults, the
 * guards every policy obeys, and what cloud nodes cost.
 *
 * @param lambda                 µs of latency one unit of money is worth, for {@code cost-optimal}
 * @param sloHeadroom            fraction of the objective a prediction must fit in to count as meeting it
 * @param budgetFraction         at most this share of a model's requests per minute may be offloaded
 * @param budgetMoneyPerMinute   at most this much money per minute on offloads; 0 = no limit
 * @param retryBudget            retries allowed as a share of offloads (plus a small floor)
 * @param probeIntervalMs        an idle cloud node's link is probed this often; 0 = never
 * @param defaultBandwidthMbps   bandwidth assumed for a link before anything was learnt
 * @param defaultRttMs           round-trip time assumed for a link before anything was learnt
 * @param pricePerRequest        price of one offloaded request on any cloud node
 * @param pricePerComputeMs      price of one ms of a cloud node's compute
 * @param nodePrices             per-node overrides: node id → {per request, per compute-ms}
 * @param staticThreshold        baseline policy for benchmarks: offload when the local queue is longer than
 *                               this (0 = off, the cost model decides)
 * @param ejectBaseMs            a failing cloud node is ejected for this × n (n-th ejection), at most 10 ×
 */
public record OffloadConfig(
    double lambda,
    double sloHeadroom,
    double budgetFraction,
    double budgetMoneyPerMinute,
    double retryBudget,
    long probeIntervalMs,
    double defaultBandwidthMbps,
    double defaultRttMs,
    double pricePerRequest,
    double pricePerComputeMs,
    Map<String, double[]> nodePrices,
    int staticThreshold,
    long ejectBaseMs) {

  static final ConfigKey LAMBDA = ConfigKey.of("offload.lambda", "1000",
      "`cost-optimal`: µs of latency one unit of money is worth (minimises E[T] + λ · price)");
  static final ConfigKey HEADROOM = ConfigKey.of("offload.slo-headroom", "0.75",
      "A prediction meets the latency objective when it is at most this fraction of it");
  static final ConfigKey BUDGET_FRACTION = ConfigKey.of("offload.budget-fraction", "1.0",
      "Largest share of a model's requests per minute that may be offloaded");
  static final ConfigKey BUDGET_MONEY = ConfigKey.of("offload.budget-money-per-minute", "0",
      "Largest money spent on offloads per minute; 0 = no limit");
  static final ConfigKey RETRY_BUDGET = ConfigKey.of("offload.retry-budget", "0.2",
      "Retries of failed offloads allowed, as a share of offloads per minute");
  static final ConfigKey PROBE = ConfigKey.of("offload.probe-interval-ms", "1000",
      "A cloud node's link not used this long is probed (GET /v2/health/live); 0 = no probes");
  static final ConfigKey BANDWIDTH = ConfigKey.of("offload.default-bandwidth-mbps", "50",
      "Link bandwidth assumed before any was learnt (Mbit/s)");
  static final ConfigKey RTT = ConfigKey.of("offload.default-rtt-ms", "20",
      "Round-trip time assumed before any was learnt (ms)");
  static final ConfigKey PRICE_REQUEST = ConfigKey.of("offload.price-per-request", "0",
      "Price of one request offloaded to a cloud node");
  static final ConfigKey PRICE_MS = ConfigKey.of("offload.price-per-compute-ms", "0",
      "Price of one ms of a cloud node's compute");
  static final ConfigKey NODE_PRICES = ConfigKey.of("offload.node-prices", "",
      "Per-node prices overriding the two above: `node-id=per-request:per-compute-ms,...`");
  static final ConfigKey STATIC_THRESHOLD = ConfigKey.of("offload.static-threshold", "0",
      "Baseline for benchmarks: offload when the local queue is longer than this; 0 = use the cost model");

  static final ConfigKey EJECT_BASE = ConfigKey.of("offload.eject-base-ms", "30000",
      "A cloud node failing 5 times in a row is ejected for this × n (its n-th ejection), at most 10 × this");

  public OffloadConfig {
    nodePrices = Map.copyOf(nodePrices);
  }

  /** Price of one request of {@code computeUs} on {@code nodeId}. */
  public double price(String nodeId, double computeUs) {
    double[] p = nodePrices.get(nodeId);
    double perRequest = p == null ? pricePerRequest : p[0];
    double perMs = p == null ? pricePerComputeMs : p[1];
    return perRequest + perMs * computeUs / 1000.0;
  }

  static OffloadConfig from(ConfigSource s) {
    return new OffloadConfig(s.doubleValue(LAMBDA, 0, 1e12), s.doubleValue(HEADROOM, 0.05, 1),
        s.doubleValue(BUDGET_FRACTION, 0, 1), s.doubleValue(BUDGET_MONEY, 0, 1e12), s.doubleValue(RETRY_BUDGET, 0, 1),
        s.longValue(PROBE, 0, 3_600_000), s.doubleValue(BANDWIDTH, 0.001, 1e6), s.doubleValue(RTT, 0, 60_000),
        s.doubleValue(PRICE_REQUEST, 0, 1e9), s.doubleValue(PRICE_MS, 0, 1e9), nodePrices(s),
        s.intValue(STATIC_THRESHOLD, 0, 1_000_000), s.longValue(EJECT_BASE, 1, 3_600_000));
  }

  private static Map<String, double[]> nodePrices(ConfigSource s) {
    Map<String, double[]> out = new HashMap<>();
    for (String entry : s.list(NODE_PRICES)) {
      String[] kv = entry.split("=");
      String[] p = kv.length == 2 ? kv[1].split(":") : new String[0];
      try {
        if (p.length != 2) {
          throw new NumberFormatException();
        }
        double perRequest = Double.parseDouble(p[0]);
        double perMs = Double.parseDouble(p[1]);
        if (!(perRequest >= 0 && perMs >= 0) || Double.isInfinite(perRequest) || Double.isInfinite(perMs)) {
          throw new NumberFormatException();
        }
        out.put(kv[0].trim(), new double[] {perRequest, perMs});
      } catch (NumberFormatException e) {
        throw ConfigException.badValue(NODE_PRICES, entry,
            "allowed: node-id=per-request:per-compute-ms with non-negative numbers, comma-separated");
      }
    }
    return out;
  }
}
