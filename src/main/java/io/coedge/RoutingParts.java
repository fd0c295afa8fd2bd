package io.coedge;

import io.coedge.cluster.ClusterView;
import io.coedge.config.CoedgeConfig;
import io.coedge.inference.InferenceEngine;
import io.coedge.observability.Metrics;
import io.coedge.routing.CostModel;
import io.coedge.routing.PeerSelector;
import io.coedge.routing.Prober;
import io.coedge.routing.RemoteClient;
import io.coedge.routing.Router;
import io.coedge.routing.RoutingClock;
import io.coedge.security.Security;
import io.coedge.security.TlsMaterial;
import io.vertx.core.Vertx;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The routing side of a node: the router over its engine and cluster view, the client it offloads with and, on
 * edge nodes, the prober that measures idle cloud links.
 *
 * @param prober null on cloud nodes and when probing is off
 */
record RoutingParts(Router router, RemoteClient remote, Prober prober) {

  private static final int REMOTE_CONNECTIONS = 64;

  static RoutingParts start(Vertx vertx, CoedgeConfig config, InferenceEngine engine, ClusterView cluster,
      TlsMaterial tls, Security security, Metrics metrics) {
    CostModel costs = new CostModel(config.offload(), RoutingClock.SYSTEM);
    RemoteClient remote = new RemoteClient(vertx, REMOTE_CONNECTIONS, tls == null ? null : tls.clientOptions(),
        security.nodeKey());
    Router router = new Router(engine, cluster, config.node(), config.offload(), costs,
        new PeerSelector(costs, RoutingClock.SYSTEM, n -> ThreadLocalRandom.current().nextInt(n),
            config.offload().ejectBaseMs()), remote, metrics, RoutingClock.SYSTEM);
    Prober prober = null;
    if (!config.node().isCloud() && config.offload().probeIntervalMs() > 0) {
      prober = new Prober(cluster, remote, costs, RoutingClock.SYSTEM, config.offload().probeIntervalMs(),
          config.node().role(), router.selector());
      prober.start(vertx);
    }
    return new RoutingParts(router, remote, prober);
  }

  /** Stops probing; the remote client closes after the listeners stopped ({@link #closeClient}). */
  void stopProbing(Vertx vertx) {
    if (prober != null) {
      prober.stop(vertx);
    }
  }

  void closeClient() {
    remote.close();
  }
}
