package io.coedge;

import io.coedge.api.HttpServerVerticle;
import io.coedge.api.V2Routes;
import io.coedge.api.codec.CodecLimits;
import io.coedge.cluster.HazelcastSetup;
import io.coedge.config.CoedgeConfig;
import io.coedge.inference.InferenceEngine;
import io.coedge.inference.ModelVersion;
import io.coedge.inference.OnnxInferenceEngine;
import io.coedge.observability.Health;
import io.coedge.observability.MicrometerMetrics;
import io.coedge.observability.Metrics;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.logging.Logger;

/**
 * One running node: Vert.x (clustered through an embedded Hazelcast member unless disabled), the
 * inference engine and the HTTP listeners. Started and stopped in a fixed order.
 */
public final class Gateway {

  private static final Logger LOG = Logger.getLogger(Gateway.class.getName());

  private final CoedgeConfig config;
  private final Vertx vertx;
  private final Metrics metrics;
  private final Health health = new Health();
  private final InferenceEngine engine;
  private HttpServerVerticle firstServer;

  private Gateway(CoedgeConfig config, Vertx vertx, Metrics metrics, InferenceEngine engine) {
    this.config = config;
    this.vertx = vertx;
    this.metrics = metrics;
    this.engine = engine;
  }

  /**
   * Loads the models while Vert.x and the Hazelcast member start (both take seconds), then opens
   * the HTTP port once both are done.
   */
  public static Future<Gateway> start(CoedgeConfig config) {
    long t0 = System.nanoTime();
    Metrics metrics = new MicrometerMetrics();
    InferenceEngine engine = new OnnxInferenceEngine(config.inference(),
        (model, version, rows, nanos) -> metrics.batch(model, rows));
    Future<Void> models = engine.start();
    VertxOptions options = new VertxOptions().setEventLoopPoolSize(Runtime.getRuntime().availableProcessors());
    Future<Vertx> vertx = config.cluster().enabled()
        ? Vertx.builder().with(options)
            .withClusterManager(new HazelcastClusterManager(HazelcastSetup.config(config.cluster()))).buildClustered()
        : Future.succeededFuture(Vertx.vertx(options));
    return vertx.compose(v -> {
      Gateway g = new Gateway(config, v, metrics, engine);
      Future<Void> loaded = Future.fromCompletionStage(models.toCompletionStage(), v.getOrCreateContext());
      return loaded.compose(x -> g.boot()).map(g)
          .recover(err -> engine.close().transform(x -> v.close()).transform(x -> Future.failedFuture(err)));
    }).onSuccess(g -> LOG.info("node " + config.node().id() + " (" + config.node().role() + ") ready on "
        + config.http().host() + ":" + g.port() + " in " + (System.nanoTime() - t0) / 1_000_000 + " ms"));
  }

  private Future<Void> boot() {
    health.register("models", () -> engine.started() && engine.models().stream().anyMatch(ModelVersion::ready));
    return Future.succeededFuture().compose(v -> {
      for (ModelVersion m : engine.models()) {
        if (m.ready()) {
          metrics.pending(m.name(), m.version(), () -> engine.pending(m.name(), m.version()));
        }
      }
      V2Routes v2 = new V2Routes(engine, req -> engine.infer(req)
          .map(r -> new V2Routes.Routed(r, "local", config.node().id())), health, metrics, config.node().id(),
          CodecLimits.DEFAULTS);
      int instances = Math.max(1, Runtime.getRuntime().availableProcessors());
      return vertx.deployVerticle(() -> {
        HttpServerVerticle s = new HttpServerVerticle(config.http(), router -> {
          v2.mount(router, config.http().maxBodyBytes());
          router.get("/metrics").handler(ctx -> ctx.response()
              .putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8").end(metrics.scrape()));
        });
        if (firstServer == null) {
          firstServer = s;
        }
        return s;
      }, new DeploymentOptions().setInstances(instances));
    }).mapEmpty();
  }

  public int port() {
    return firstServer.port();
  }

  public Vertx vertx() {
    return vertx;
  }

  public InferenceEngine engine() {
    return engine;
  }

  public CoedgeConfig config() {
    return config;
  }

  /** Stops in order: HTTP listeners (undeploy), then the engine (queued work failed, running finished), then Vert.x. */
  public Future<Void> close() {
    return Future.all(vertx.deploymentIDs().stream().map(vertx::undeploy).toList())
        .transform(x -> engine.close())
        .transform(x -> vertx.close());
  }
}
