package io.coedge.api;

import io.coedge.cluster.ClusterView;
import io.coedge.cluster.NodeEntry;
import io.coedge.inference.InferenceException;
import io.coedge.rollout.NodeRollout;
import io.coedge.rollout.RolloutCodec;
import io.coedge.rollout.RolloutPlan;
import io.coedge.rollout.RolloutRecord;
import io.coedge.rollout.RolloutStore;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The fleet's desired state (admin or cluster scope, as every {@code /v2/cluster/*} path):
 * {@code POST /v2/cluster/rollouts} publishes a rollout, {@code GET /v2/cluster/rollouts} lists them with their
 * stage and conflicts, {@code GET /v2/cluster/rollouts/{id}} shows each targeted node's progress.
 */
public final class RolloutRoutes {

  static final int MAX_BODY = 4 * 1024;
  private final RolloutStore store;
  private final ClusterView view;
  private final LongSupplier clock;

  public RolloutRoutes(RolloutStore store, ClusterView view, LongSupplier clock) {
    this.store = store;
    this.view = view;
    this.clock = clock;
  }

  public void mount(Router router) {
    router.post("/v2/cluster/rollouts").handler(BodyHandler.create(false).setBodyLimit(MAX_BODY))
        .handler(this::publish);
    router.get("/v2/cluster/rollouts").handler(this::list);
    router.get("/v2/cluster/rollouts/:id").handler(this::one);
  }

  private void publish(RoutingContext ctx) {
    RolloutStore.Draft draft;
    try {
      draft = RolloutCodec.draft(body(ctx));
    } catch (IllegalArgumentException e) {
      throw InferenceException.invalid("bad rollout: " + e.getMessage());
    }
    if (draft.supersedes() != null && !draft.supersedes().isEmpty()
        && store.plan().record(draft.supersedes()).isEmpty()) {
      throw InferenceException.notFound("rollout '" + draft.supersedes() + "' (supersedes) is not known here");
    }
    Context here = ctx.vertx().getOrCreateContext();
    store.publish(draft).onComplete(ar -> here.runOnContext(v -> {
      if (ar.succeeded()) {
        V2Routes.json(ctx.response(), 201, describe(store.plan(), ar.result()));
      } else {
        ctx.fail(ar.cause());
      }
    }));
  }

  private static String body(RoutingContext ctx) {
    Buffer b = ctx.body().buffer();
    if (b == null || b.length() == 0) {
      throw InferenceException.invalid("request body must be a JSON object describing the rollout");
    }
    return b.toString(StandardCharsets.UTF_8);
  }

  private void list(RoutingContext ctx) {
    RolloutPlan plan = store.plan();
    JsonArray rollouts = new JsonArray();
    plan.records().forEach(r -> rollouts.add(describe(plan, r)));
    JsonArray conflicts = new JsonArray();
    for (RolloutPlan.Conflict c : plan.conflicts()) {
      conflicts.add(new JsonObject().put("model", c.model()).put("supersedes", c.supersedes())
          .put("winner", c.winner()).put("losers", new JsonArray(c.losers())));
    }
    V2Routes.json(ctx.response(), 200, new JsonObject().put("rollouts", rollouts).put("conflicts", conflicts));
  }

  private void one(RoutingContext ctx) {
    RolloutPlan plan = store.plan();
    RolloutRecord r = plan.record(ctx.pathParam("id"))
        .orElseThrow(() -> InferenceException.notFound("no rollout '" + RolloutCodec.clip(ctx.pathParam("id"))
            + "'"));
    List<NodeEntry> nodes = view.nodes();
    List<NodeRollout> states = store.states();
    List<String> selected = RolloutPlan.selected(r, RolloutPlan.stage(r, clock.getAsLong(), nodes, states), nodes);
    JsonArray out = new JsonArray();
    for (String node : selected) {
      NodeRollout s = states.stream().filter(x -> x.node().equals(node) && x.model().equals(r.chain())
          && x.rollout().equals(r.id())).findFirst()
          .orElse(new NodeRollout(node, r.chain(), r.id(), r.version(), NodeRollout.State.WAITING, 0, "", 0));
      out.add(s.toJson());
    }
    states.stream().filter(s -> s.rollout().equals(r.id()) && !selected.contains(s.node()))
        .forEach(s -> out.add(s.toJson()));
    V2Routes.json(ctx.response(), 200, describe(plan, r).put("nodes", out));
  }

  private JsonObject describe(RolloutPlan plan, RolloutRecord r) {
    JsonObject o = RolloutCodec.toJson(r);
    o.remove("format");
    List<NodeEntry> nodes = view.nodes();
    List<NodeRollout> states = store.states();
    int stage = RolloutPlan.stage(r, clock.getAsLong(), nodes, states);
    boolean halted = RolloutPlan.haltedAt(r, nodes, states) >= 0;
    if (halted) { // the first failed node's reason: a canary that would not load it, or its canary analysis
      states.stream().filter(s -> s.rollout().equals(r.id()) && s.state() == NodeRollout.State.FAILED)
          .findFirst().ifPresent(s -> o.put("haltReason", s.node() + ": " + s.reason()));
    }
    // once rolled back, the nodes report the rollback: the record superseding this one keeps the reason
    plan.records().stream().filter(x -> x.supersedes().equals(r.id()) && x.rollback()).findFirst().ifPresent(x -> {
      o.put("rolledBackBy", x.id());
      if (!o.containsKey("haltReason")) {
        o.put("haltReason", x.reason().substring(RolloutRecord.ROLLBACK.length()));
      }
    });
    halted |= o.containsKey("rolledBackBy");
    return o.put("effective", plan.effective(r)).put("stage", stage).put("halted", halted)
        .put("selected", RolloutPlan.selected(r, stage, nodes).size());
  }
}
