package io.coedge.observability;

import java.util.List;

/**
 * Every metric Coedge publishes (DESIGN §10), in one place: its kind, its Micrometer name, its help text and its
 * label keys. The Prometheus name is derived as Micrometer's exporter does ({@link #prometheusName()}); README and
 * the scrape test read the same table.
 */
public enum MetricName {

  INFER_SUCCESS(Kind.COUNTER, "coedge.inference.request.success", "Successful inference requests",
      "model", "version", "route"),
  INFER_FAILURE(Kind.COUNTER, "coedge.inference.request.failure", "Failed inference requests", "model", "reason"),
  QUEUE_DURATION(Kind.TIMER, "coedge.inference.queue.duration", "Time requests waited in the queue",
      "model", "version"),
  COMPUTE_DURATION(Kind.TIMER, "coedge.inference.compute.duration", "Time batches spent computing",
      "model", "version"),
  PENDING(Kind.GAUGE, "coedge.inference.pending.requests", "Requests waiting in the queue", "model", "version"),
  BATCH_SIZE(Kind.HISTOGRAM, "coedge.batch.size", "Rows per executed batch", "model"),
  OFFLOAD(Kind.COUNTER, "coedge.offload", "Requests sent to another node", "model", "target", "reason"),
  OFFLOAD_COST(Kind.COUNTER, "coedge.offload.cost", "Price of the requests sent to other nodes", "model"),
  COST_MODEL_ERROR(Kind.SUMMARY, "coedge.cost.model.error.ratio",
      "Cost model: |predicted - observed| / observed latency", "target"),
  HOP_ARRIVALS(Kind.COUNTER, "coedge.hop.arrivals",
      "Requests another node forwarded here, by how many hops they had made", "hops"),
  CLUSTER_NODES(Kind.GAUGE, "coedge.cluster.nodes", "Nodes in this node's table by role and state", "role", "state"),
  CLUSTER_RECORD_AGE(Kind.GAUGE, "coedge.cluster.record.age.seconds",
      "Age of the oldest fresh peer record, as read here"),
  CLUSTER_VERSION_CONFLICTS(Kind.GAUGE, "coedge.cluster.version.conflicts",
      "Artifact versions published with more than one sha256"),
  CLUSTER_REJECTED_RECORDS(Kind.GAUGE, "coedge.cluster.rejected.records",
      "Shared-map entries ignored as malformed since start"),
  MODEL_LOADS(Kind.COUNTER, "coedge.model.loads", "Model version loads by result (success, failure)", "model",
      "result"),
  MODEL_STATE(Kind.GAUGE, "coedge.model.state", "1 for the model version's lifecycle state, else 0", "model",
      "version", "state"),
  GRPC_OPEN_STREAMS(Kind.GAUGE, "coedge.grpc.open.streams", "gRPC calls (streams) open on this node"),
  AUTH_REFUSALS(Kind.COUNTER, "coedge.auth.refusals", "Requests refused by authentication, scope or rate limit",
      "status", "reason"),
  SCALE_DESIRED(Kind.GAUGE, "coedge.scale.desired.nodes",
      "Cloud nodes the scaling leader asks for (model `all`: the decision; else what each model needs)", "role",
      "model"),
  SCALE_ACTUATIONS(Kind.COUNTER, "coedge.scale.actuations", "Scale command runs by result (success, failure, "
      + "timeout)", "result"),
  CLUSTER_MAP_ENTRIES(Kind.GAUGE, "coedge.cluster.map.entries", "Entries in this member's copy of each shared map",
      "map"),
  FILE_REJECTED(Kind.GAUGE, "coedge.file.rejected", "1 while a changed key or certificate file cannot be used (the "
      + "last good one stays in force), else 0", "file");

  /** How a metric is recorded. */
  public enum Kind {
    /** Monotonic sum; Prometheus {@code _total}. */
    COUNTER,
    /** Durations in seconds, with fixed latency buckets. */
    TIMER,
    /** Values with fixed buckets (e.g. batch rows). */
    HISTOGRAM,
    /** Values published as median, p90 and p99. */
    SUMMARY,
    /** A value read when scraped. */
    GAUGE
  }

  private final Kind kind;
  private final String name;
  private final String help;
  private final List<String> labels;

  MetricName(Kind kind, String name, String help, String... labels) {
    this.kind = kind;
    this.name = name;
    this.help = help;
    this.labels = List.of(labels);
  }

  public Kind kind() {
    return kind;
  }

  /** The Micrometer (dotted) name. */
  public String dotted() {
    return name;
  }

  public String help() {
    return help;
  }

  public List<String> labels() {
    return labels;
  }

  /** The name in the Prometheus exposition: underscores, {@code _total} for counters, {@code _seconds} for timers. */
  public String prometheusName() {
    String base = name.replace('.', '_');
    return switch (kind) {
      case COUNTER -> base + "_total";
      case TIMER -> base + "_seconds";
      default -> base;
    };
  }

  /** Interleaves the label keys with {@code values} (key, value, ...), checking the kind and the count. */
  String[] tags(Kind expected, String... values) {
    if (kind != expected) {
      throw new IllegalArgumentException(this + " is a " + kind + ", not a " + expected);
    }
    if (values.length != labels.size()) {
      throw new IllegalArgumentException(this + " takes labels " + labels + ", got " + values.length + " values");
    }
    String[] out = new String[values.length * 2];
    for (int i = 0; i < values.length; i++) {
      out[2 * i] = labels.get(i);
      out[2 * i + 1] = values[i];
    }
    return out;
  }
}
