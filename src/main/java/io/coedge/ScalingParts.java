package io.coedge;

import io.coedge.cluster.ClusterView;
import io.coedge.config.CoedgeConfig;
import io.coedge.config.ScaleConfig;
import io.coedge.inference.InferenceEngine;
import io.coedge.inference.ModelVersion;
import io.coedge.observability.Metrics;
import io.coedge.routing.DemandListener;
import io.coedge.routing.Router;
import io.coedge.scaling.Autoscaler;
import io.coedge.scaling.CommandActuator;
import io.coedge.scaling.DrainClient;
import io.coedge.scaling.RateMeter;
import io.coedge.scaling.ScaleIn;
import io.coedge.scaling.Scaler;
import io.coedge.security.Security;
import io.coedge.security.TlsMaterial;
import io.vertx.core.Vertx;

/**
 * Elastic scaling on a node: the meters of the demand it publishes (arrivals, shed requests), fed by the router,
 * and the scaling loop, which evaluates on cloud nodes (the oldest leads) and answers everywhere.
 */
record ScalingParts(RateMeter arrivals, RateMeter shed, Autoscaler autoscaler, DrainClient drains) {

  static ScalingParts start(Vertx vertx, CoedgeConfig config, InferenceEngine engine, ClusterView cluster,
      Router router, TlsMaterial tls, Security security, Metrics metrics) {
    RateMeter arrivals = new RateMeter(System::currentTimeMillis);
    RateMeter shed = new RateMeter(System::currentTimeMillis);
    router.listen(new DemandListener() {
      @Override
      public void arrived(String model) {
        arrivals.mark(model);
      }

      @Override
      public void shed(String model) {
        shed.mark(model);
      }
    });
    ScaleConfig scale = config.scale();
    DrainClient drains = new DrainClient(vertx, tls == null ? null : tls.clientOptions(), security.nodeKey());
    CommandActuator command = ScaleConfig.COMMAND.equals(scale.actuator())
        ? new CommandActuator(scale.command(), scale.commandTimeoutS(), metrics) : null;
    // The paid offload a new node competes with: one request of a typical 10 ms at the configured default prices.
    double offloadPrice = config.offload().price("", 10_000);
    Autoscaler autoscaler = new Autoscaler(vertx, cluster, scale,
        new Scaler(scale, offloadPrice, System::currentTimeMillis), model -> objectiveUs(engine, model),
        new ScaleIn(vertx, cluster, drains::drain, config.cluster().publishIntervalMs()), command, metrics);
    if (config.node().isCloud()) {
      autoscaler.start();
    }
    return new ScalingParts(arrivals, shed, autoscaler, drains);
  }

  /** The model's latency objective as this node's copy configures it (0 = none). */
  private static long objectiveUs(InferenceEngine engine, String model) {
    return engine.models().stream().filter(m -> m.ready() && m.name().equals(model) && m.config() != null)
        .mapToLong(m -> m.config().timeoutUs()).max().orElse(0);
  }

  void stop() {
    autoscaler.stop();
    drains.close();
  }
}
