package io.coedge.rollout;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.replicatedmap.ReplicatedMap;
import io.coedge.cluster.HazelcastCalls;
import io.coedge.cluster.HybridLogicalClock;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * {@link RolloutStore} over two Hazelcast ReplicatedMaps: {@value #ROLLOUTS} (key rollout id, value the record as
 * JSON, never overwritten) and {@value #NODES} (key {@code node/model}, written only by that node). The local
 * replica is re-read every {@code rescanMs}; a record held here but missing from the map (lost in a split-brain
 * merge) is written back unchanged, so any survivor heals the table. Bad entries are counted and skipped.
 */
public final class HazelcastRolloutStore implements RolloutStore {

  public static final String ROLLOUTS = "coedge.rollouts";
  public static final String NODES = "coedge.rollout-nodes";
  private static final Logger LOG = Logger.getLogger(HazelcastRolloutStore.class.getName());

  private final Vertx vertx;
  private final HazelcastInstance hz;
  private final String nodeId;
  private final LongSupplier clock;
  private final HybridLogicalClock hlc;
  private final HazelcastCalls calls = new HazelcastCalls();
  private final Map<String, RolloutRecord> records = new ConcurrentHashMap<>();
  private final Map<String, NodeRollout> states = new ConcurrentHashMap<>();
  private final Map<String, NodeRollout> own = new ConcurrentHashMap<>();
  private volatile RolloutPlan plan = RolloutPlan.of(List.of());
  private volatile long rejected;
  private ReplicatedMap<Object, Object> rolloutMap;
  private ReplicatedMap<Object, Object> nodeMap;
  private long timer = -1;

  public HazelcastRolloutStore(Vertx vertx, HazelcastInstance hz, String nodeId, LongSupplier clock,
      long maxDriftMs) {
    this.vertx = vertx;
    this.hz = hz;
    this.nodeId = nodeId;
    this.clock = clock;
    this.hlc = new HybridLogicalClock(clock, maxDriftMs);
  }

  /** Attaches the maps, reads them once, then re-reads every {@code rescanMs}. */
  public Future<Void> start(long rescanMs) {
    return calls.call(() -> {
      rolloutMap = hz.getReplicatedMap(ROLLOUTS);
      nodeMap = hz.getReplicatedMap(NODES);
      return rescan();
    }).onSuccess(x -> timer = vertx.setPeriodic(rescanMs, t -> calls.call(this::rescan)
        .onFailure(e -> LOG.fine("rollout table rescan failed: " + e))));
  }

  public Future<Void> close() {
    vertx.cancelTimer(timer);
    calls.close();
    return Future.succeededFuture();
  }

  /** On the Hazelcast thread: parses the replicas, writes back what is missing, re-publishes own states. */
  private Void rescan() {
    Map<String, RolloutRecord> seen = new ConcurrentHashMap<>();
    for (Map.Entry<Object, Object> e : rolloutMap.entrySet()) {
      try {
        RolloutRecord r = RolloutCodec.decode(String.valueOf(e.getKey()), e.getValue());
        seen.put(r.id(), r);
        hlc.observe(r.published());
      } catch (IllegalArgumentException bad) {
        rejected++;
      }
    }
    for (RolloutRecord r : records.values()) {
      if (!seen.containsKey(r.id())) {
        rolloutMap.put(r.id(), RolloutCodec.toJson(r).encode());
      }
    }
    records.putAll(seen);
    plan = RolloutPlan.of(records.values());
    for (Map.Entry<Object, Object> e : nodeMap.entrySet()) {
      try {
        NodeRollout s = NodeRollout.decode(String.valueOf(e.getKey()), e.getValue());
        states.put(s.key(), s);
      } catch (IllegalArgumentException bad) {
        rejected++;
      }
    }
    own.values().forEach(s -> {
      if (!nodeMap.containsKey(s.key())) {
        nodeMap.put(s.key(), s.toJson().encode());
      }
    });
    return null;
  }

  @Override
  public RolloutPlan plan() {
    return plan;
  }

  @Override
  public List<NodeRollout> states() {
    List<NodeRollout> out = new ArrayList<>(states.values());
    out.sort(Comparator.comparing(NodeRollout::key));
    return out;
  }

  /** Map entries skipped as malformed since start. */
  public long rejected() {
    return rejected;
  }

  @Override
  public Future<RolloutRecord> publish(Draft d) {
    return calls.call(() -> {
      HybridLogicalClock.Timestamp ts = hlc.now();
      String supersedes = d.supersedes() != null ? d.supersedes()
          : plan.head(d.chain()).map(RolloutRecord::id).orElse("");
      RolloutRecord r = new RolloutRecord(newId(ts), d.model(), d.version(), d.manifestSha256(), d.target(),
          d.stages(), d.halt(), supersedes, nodeId, ts, d.kind(), d.reason());
      rolloutMap.put(r.id(), RolloutCodec.toJson(r).encode());
      records.put(r.id(), r);
      plan = RolloutPlan.of(records.values());
      LOG.info("published rollout " + r.id() + ": " + (r.data() ? "data of " : "") + r.model() + " version "
          + r.version()
          + (supersedes.isEmpty() ? "" : ", superseding " + supersedes));
      return r;
    });
  }

  @Override
  public Future<Void> report(NodeRollout s) {
    own.put(s.key(), s);
    states.put(s.key(), s);
    return calls.call(() -> {
      nodeMap.put(s.key(), s.toJson().encode());
      return null;
    });
  }

  /** Unique per node and timestamp: {@code <hlc ms>.<counter>-<8 hex of the node id>}. */
  private String newId(HybridLogicalClock.Timestamp ts) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(nodeId.getBytes(StandardCharsets.UTF_8));
      return ts.ms() + "." + ts.counter() + "-" + HexFormat.of().formatHex(d, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
