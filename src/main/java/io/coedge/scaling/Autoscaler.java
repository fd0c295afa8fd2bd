package io.coedge.scaling;

import io.coedge.cluster.ClusterView;
import io.coedge.cluster.NodeEntry;
import io.coedge.config.ScaleConfig;
import io.coedge.observability.MetricName;
import io.coedge.observability.Metrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToLongFunction;
import java.util.logging.Logger;

/**
 * The scaling loop (DESIGN §12): every {@code scale.interval-ms} the leader, the oldest cloud member, reads the
 * node table, sizes each model's demand, lets the {@link Scaler} decide, logs one line with the inputs, publishes
 * the decision as the shared note {@value #NOTE} (so every node answers {@code GET /v2/cluster/scale} with the
 * leader's) and hands it to the actuator. Every other node only reads the note. Runs on the event loop; the
 * command runs on a thread of its own.
 */
public final class Autoscaler {

  public static final String NOTE = "scale";
  private static final Logger LOG = Logger.getLogger(Autoscaler.class.getName());

  private final Vertx vertx;
  private final ClusterView cluster;
  private final ScaleConfig config;
  private final Scaler scaler;
  private final ToLongFunction<String> objectiveUs;
  private final ScaleIn scaleIn;
  private final CommandActuator command;
  private final Metrics metrics;
  private final Map<String, AtomicInteger> gauges = new ConcurrentHashMap<>();
  private volatile JsonObject own = new JsonObject();
  private boolean acting;
  private int lastAsked = -1;
  private boolean lastFailed;
  private long timer = -1;

  /** {@code command}: null unless {@code scale.actuator: command}; {@code scaleIn} drains the node that leaves. */
  public Autoscaler(Vertx vertx, ClusterView cluster, ScaleConfig config, Scaler scaler,
      ToLongFunction<String> objectiveUs, ScaleIn scaleIn, CommandActuator command, Metrics metrics) {
    this.vertx = vertx;
    this.cluster = cluster;
    this.config = config;
    this.scaler = scaler;
    this.objectiveUs = objectiveUs;
    this.scaleIn = scaleIn;
    this.command = command;
    this.metrics = metrics;
    gauge("all");
  }

  public void start() {
    timer = vertx.setPeriodic(config.intervalMs(), t -> evaluate());
  }

  public void stop() {
    vertx.cancelTimer(timer);
    if (command != null) {
      command.close();
    }
  }

  /** True when this node leads: the oldest fresh cloud member. */
  public boolean leader() {
    List<String> cloud = cluster.oldestFirst("cloud");
    return !cloud.isEmpty() && cloud.get(0).equals(cluster.nodeId());
  }

  /** One evaluation; empty on nodes that do not lead. */
  public Optional<Scaler.Decision> evaluate() {
    if (!leader()) {
      return Optional.empty();
    }
    List<NodeEntry> table = cluster.nodes();
    List<ModelDemand> demands = ModelDemand.of(table, objectiveUs, config.targetUtilisation(), config.maxNodes());
    // Records of departed members are removed, so a late (stale) record is a live node that is still serving.
    int current = (int) table.stream().filter(n -> !n.record().draining() && "cloud".equals(n.record().role()))
        .count();
    Scaler.Decision d = scaler.decide(demands, current);
    LOG.info(ScaleReport.line(d, demands));
    demands.forEach(m -> gauge(m.model()).set(m.desired()));
    gauge("all").set(d.desired());
    own = ScaleReport.json(cluster.nodeId(), config.actuator(), d, demands);
    cluster.putNote(NOTE, own.encode()).onFailure(e -> LOG.fine("scale note not written: " + e));
    act(d, table);
    return Optional.of(d);
  }

  /** The leader's latest decision as published (this node's own when it leads or no note was read yet). */
  public JsonObject view() {
    if (leader()) {
      return own;
    }
    Optional<String> note = cluster.note(NOTE);
    try {
      return note.map(JsonObject::new).orElse(own);
    } catch (DecodeException | ClassCastException e) {
      return own; // a note is untrusted input
    }
  }

  private void act(Scaler.Decision d, List<NodeEntry> table) {
    if (command == null || acting) {
      return;
    }
    if (d.desired() > d.current() && (d.desired() != lastAsked || lastFailed)) {
      acting = true;
      run(d.desired(), Map.of()).onComplete(x -> acting = false);
    } else if (d.desired() < d.current()) {
      Optional<NodeEntry> victim = ScaleIn.choose(table, cluster.nodeId());
      if (victim.isEmpty()) {
        return;
      }
      acting = true;
      String id = victim.get().id();
      LOG.info("scale-in: draining node " + id + " (newest, least loaded) before stopping it");
      scaleIn.drainAndWait(victim.get())
          .compose(x -> run(d.desired(), Map.of(CommandActuator.STOP, id)))
          .onComplete(ar -> {
            acting = false;
            if (ar.failed()) {
              LOG.warning("scale-in of " + id + " failed: " + ar.cause().getMessage());
            }
          });
    }
  }

  private Future<CommandActuator.Result> run(int desired, Map<String, String> env) {
    lastAsked = desired;
    return command.run(vertx.getOrCreateContext(), desired, env).onSuccess(r -> lastFailed = !r.ok());
  }

  private AtomicInteger gauge(String model) {
    return gauges.computeIfAbsent(model, m -> {
      AtomicInteger v = new AtomicInteger();
      metrics.gauge(MetricName.SCALE_DESIRED, v::get, "cloud", m);
      return v;
    });
  }
}
