package io.coedge;

import io.coedge.api.ClusterRoutes;
import io.coedge.api.DashboardRoutes;
import io.coedge.api.ModelConfigRoute;
import io.coedge.api.PeerFileRoutes;
import io.coedge.api.RepositoryRoutes;
import io.coedge.api.RolloutRoutes;
import io.coedge.api.ScaleRoutes;
import io.coedge.api.V2Routes;
import io.coedge.cluster.ClusterView;
import io.coedge.config.CoedgeConfig;
import io.coedge.inference.InferenceEngine;
import io.coedge.observability.Metrics;
import io.coedge.rollout.FleetRollout;
import io.coedge.routing.Hop;
import io.coedge.routing.Router;
import io.coedge.security.NodeOnly;
import io.coedge.security.Security;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Every HTTP route of a node, mounted on each listener's router in the order requests must meet them: the
 * node-only guard (mutual TLS), the auth gate, then the handlers.
 */
record NodeRoutes(CoedgeConfig config, boolean mutualTls, Security security, V2Routes v2, InferenceEngine engine,
    ClusterView cluster, FleetRollout rollout, Router routing, Metrics metrics, Supplier<JsonObject> scale)
    implements Consumer<io.vertx.ext.web.Router> {

  @Override
  public void accept(io.vertx.ext.web.Router router) {
    if (mutualTls) {
      router.route().handler(new NodeOnly(List.of(Hop.HEADER, Hop.TIMEOUT_HEADER)));
    }
    router.route().handler(security.handler());
    v2.mount(router, config.http().maxBodyBytes());
    new RepositoryRoutes(engine.control()).mount(router);
    new ModelConfigRoute(engine).mount(router);
    new ClusterRoutes(cluster, config.cluster().staleAfterMs()).mount(router);
    if (rollout != null) {
      new RolloutRoutes(rollout.store(), cluster, System::currentTimeMillis).mount(router);
      new PeerFileRoutes(config.inference().modelsDir()).mount(router);
      new PeerFileRoutes(config.inference().modelsDir().resolve(FleetRollout.DATA), "/v2/cluster/data").mount(router);
    }
    new ScaleRoutes(scale, cluster).mount(router);
    new DashboardRoutes(cluster, routing.predictionErrors(), routing.selector()).mount(router);
    router.get("/metrics").handler(ctx -> ctx.response()
        .putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8").end(metrics.scrape()));
  }
}
