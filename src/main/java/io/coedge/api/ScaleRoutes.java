package io.coedge.api;

import io.coedge.cluster.ClusterView;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Elastic scaling's endpoints (cluster scope, as every {@code /v2/cluster} route): {@code GET /v2/cluster/scale},
 * the scaling leader's latest decision (the desired cloud node count in {@code desiredNodes}, where KEDA's
 * {@code metrics-api} scaler reads it; 503 until a leader decided), and {@code POST /v2/cluster/drain}, which marks
 * this node draining so peers stop sending it new work before it is stopped.
 */
public final class ScaleRoutes {

  public static final String SCALE_PATH = "/v2/cluster/scale";
  public static final String DRAIN_PATH = "/v2/cluster/drain";
  private static final Logger LOG = Logger.getLogger(ScaleRoutes.class.getName());

  private final Supplier<JsonObject> decision;
  private final ClusterView cluster;

  public ScaleRoutes(Supplier<JsonObject> decision, ClusterView cluster) {
    this.decision = decision;
    this.cluster = cluster;
  }

  public void mount(Router router) {
    router.get(SCALE_PATH).handler(this::scale);
    router.post(DRAIN_PATH).handler(this::drain);
  }

  private void scale(RoutingContext ctx) {
    JsonObject d = decision.get();
    if (d == null || !d.containsKey("desiredNodes")) {
      ctx.response().putHeader("retry-after", "5");
      V2Routes.json(ctx.response(), 503, new JsonObject().put("error",
          "no scaling decision yet: the oldest cloud node decides every scale.interval-ms"));
      return;
    }
    V2Routes.json(ctx.response(), 200, d);
  }

  private void drain(RoutingContext ctx) {
    LOG.info("asked to drain by " + ctx.request().remoteAddress() + ": peers stop sending this node new work");
    cluster.drain().onComplete(ar -> V2Routes.json(ctx.response(), ar.succeeded() ? 200 : 500,
        ar.succeeded() ? new JsonObject().put("node", cluster.nodeId()).put("draining", true)
            : new JsonObject().put("error", "could not mark this node draining")));
  }
}
