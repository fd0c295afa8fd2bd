package io.coedge;

import com.hazelcast.core.HazelcastInstance;
import io.coedge.api.HttpServerVerticle;
import io.coedge.api.InFlight;
import io.coedge.api.V2Routes;
import io.coedge.api.Versions;
import io.coedge.api.codec.CodecLimits;
import io.coedge.api.grpc.GrpcInferenceService;
import io.coedge.api.grpc.GrpcServerVerticle;
import io.coedge.cluster.ClusterMetrics;
import io.coedge.cluster.ClusterView;
import io.coedge.cluster.HazelcastClusterView;
import io.coedge.cluster.HazelcastSetup;
import io.coedge.cluster.InMemoryClusterView;
import io.coedge.cluster.MapSizeMetrics;
import io.coedge.config.CoedgeConfig;
import io.coedge.config.ConfigException;
import io.coedge.config.HttpConfig;
import io.coedge.config.InferenceConfig;
import io.coedge.inference.InferenceEngine;
import io.coedge.inference.LifecycleMetrics;
import io.coedge.inference.ModelVersion;
import io.coedge.inference.OnnxInferenceEngine;
import io.coedge.inference.Scheduler;
import io.coedge.observability.Health;
import io.coedge.observability.MetricName;
import io.coedge.observability.Metrics;
import io.coedge.observability.MicrometerMetrics;
import io.coedge.observability.OtelTracing;
import io.coedge.observability.Tracing;
import io.coedge.rollout.FleetRollout;
import io.coedge.rollout.HazelcastRolloutStore;
import io.coedge.routing.Hop;
import io.coedge.routing.Router;
import io.coedge.security.Security;
import io.coedge.security.CertificateReloader;
import io.coedge.security.ModelSignatures;
import io.coedge.security.TlsMaterial;
import io.coedge.security.TlsSetup;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;
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
  private final ClusterView cluster;
  private final TlsMaterial tls;
  private final Security security;
  private HttpServerVerticle firstServer;
  private final InFlight inFlight = new InFlight();
  private final List<HttpServerVerticle> servers = new CopyOnWriteArrayList<>();
  private GrpcServerVerticle firstGrpc;
  private CertificateReloader reloader;
  private RoutingParts routing;
  private ScalingParts scaling;
  private final FleetRollout rollout;
  private final Tracing tracing;

  /** {@code hazelcast} is null when clustering is off: a single-node view then keeps the endpoints answering. */
  private Gateway(CoedgeConfig config, Vertx vertx, Metrics metrics, InferenceEngine engine,
      HazelcastInstance hazelcast, TlsMaterial tls, Security security) {
    this.config = config;
    this.tls = tls;
    this.security = security;
    this.vertx = vertx;
    this.metrics = metrics;
    this.engine = engine;
    this.cluster = hazelcast == null
        ? new InMemoryClusterView(config.node().id(), config.cluster().staleAfterMs(), System::currentTimeMillis)
        : new HazelcastClusterView(vertx, hazelcast, config.cluster(), config.node().id(), System::currentTimeMillis);
    if (hazelcast != null) {
      health.register("cluster", cluster::joined);
      MapSizeMetrics.register(hazelcast, metrics, List.of(HazelcastClusterView.NODES, HazelcastClusterView.VERSIONS,
          HazelcastClusterView.NOTES, HazelcastRolloutStore.ROLLOUTS, HazelcastRolloutStore.NODES));
    }
    ClusterMetrics.register(cluster, metrics);
    this.tracing = config.observability().tracing() ? new OtelTracing(config.observability(), config.node().id())
        : Tracing.OFF;
    this.rollout = hazelcast == null ? null : FleetRollout.create(vertx, hazelcast, cluster, engine.control(),
        config.inference().modelsDir(), new ModelSignatures(config.models().trustedKeys(),
        config.models().requireSignature()), config.rollout(), tls == null ? null : tls.clientOptions(),
        security.nodeKey(), config.cluster().staleAfterMs());
  }

  /**
   * Loads the models while Vert.x and the Hazelcast member start (both take seconds), then opens
   * the HTTP port once both are done.
   */
  public static Future<Gateway> start(CoedgeConfig config) {
    ModelSignatures signatures = new ModelSignatures(config.models().trustedKeys(),
        config.models().requireSignature());
    return start(config, (inference, listener) -> new OnnxInferenceEngine(inference, listener, signatures));
  }

  /** As {@link #start(CoedgeConfig)} with another engine (tests emulate a slower edge box with it). */
  public static Future<Gateway> start(CoedgeConfig config,
      BiFunction<InferenceConfig, Scheduler.Listener, InferenceEngine> engines) {
    long t0 = System.nanoTime();
    Security security;
    TlsMaterial tls;
    try {
      tls = TlsSetup.prepare(config.http(), config.tls());
      security = Security.create(config.auth(), config.rateLimit(), config.http().host());
      StartChecks.check(config);
    } catch (ConfigException | StartChecks.EnvironmentException e) {
      return Future.failedFuture(e);
    }
    StartChecks.misplacedModels(config.inference().modelsDir()).forEach(LOG::warning);
    Metrics metrics = new MicrometerMetrics();
    // One handle per model, made at its first batch (models are loaded while this runs).
    Map<String, Metrics.Histogram> batchSizes = new ConcurrentHashMap<>();
    InferenceEngine engine = engines.apply(config.inference(), (model, version, rows, nanos) ->
        batchSizes.computeIfAbsent(model, m -> metrics.histogram(MetricName.BATCH_SIZE, m)).record(rows));
    Future<Void> models = engine.start();
    VertxOptions options = new VertxOptions().setEventLoopPoolSize(Runtime.getRuntime().availableProcessors());
    HazelcastClusterManager manager = config.cluster().enabled()
        ? new HazelcastClusterManager(HazelcastSetup.config(config.cluster())) : null;
    Future<Vertx> vertx = manager != null
        ? Vertx.builder().with(options).withClusterManager(manager).buildClustered()
        : Future.succeededFuture(Vertx.vertx(options));
    // Not bound to any Vert.x context: on a failed start the event loops are gone before the caller hears of it.
    Promise<Gateway> started = Promise.promise();
    // ONNX Runtime must not close sessions that loader threads are still creating (that crashed the JVM):
    // a failed start waits for the loading to end, whichever way, before closing the engine.
    vertx.onFailure(err -> models.transform(x -> engine.close()).onComplete(x -> started.fail(err))).onSuccess(v -> {
      Gateway g = new Gateway(config, v, metrics, engine, manager == null ? null : manager.getHazelcastInstance(),
          tls, security);
      Future<Void> loaded = Future.fromCompletionStage(models.toCompletionStage(), v.getOrCreateContext());
      // The caller reports the failure (Main: one line on standard error).
      loaded.compose(x -> g.boot()).onSuccess(x -> started.complete(g)).onFailure(err -> {
        engine.close().onComplete(x -> v.close().onComplete(y -> started.fail(err)));
      });
    });
    return started.future().onSuccess(g -> StartChecks.logStarted(config, g.engine, g.health, g.port(),
        (System.nanoTime() - t0) / 1_000_000));
  }

  private Future<Void> boot() {
    health.register("models", () -> engine.started() && engine.models().stream().anyMatch(ModelVersion::ready));
    security.start(vertx, metrics, Hop.HEADER);
    return Future.succeededFuture().compose(v -> {
      LifecycleMetrics.register(engine, metrics);
      routing = RoutingParts.start(vertx, config, engine, cluster, tls, security, metrics);
      scaling = ScalingParts.start(vertx, config, engine, cluster, routing.router(), tls, security, metrics);
      V2Routes v2 = new V2Routes(engine, routing.router()::route, health, metrics, CodecLimits.DEFAULTS, tracing);
      int instances = Math.max(1, Runtime.getRuntime().availableProcessors());
      HttpServerOptions listen = TlsSetup.serverOptions(HttpServerVerticle.options(config.http()), tls);
      NodeRoutes routes = new NodeRoutes(config, tls != null && tls.mutual(), security, v2, engine, cluster, rollout,
          routing.router(), metrics, scaling.autoscaler()::view);
      return vertx.deployVerticle(() -> {
        HttpServerVerticle s = new HttpServerVerticle(config.http(), routes, listen, inFlight,
            config.node().drainLingerMs());
        servers.add(s);
        if (firstServer == null) {
          firstServer = s;
        }
        return s;
      }, new DeploymentOptions().setInstances(instances));
    }).compose(x -> deployGrpc()).compose(x -> {
      startReloader();
      return cluster.start(new EngineNode(config.node(), advertiseUrl(), Versions.BUILD, engine,
          rollout == null ? model -> "" : rollout::data, scaling.arrivals(), scaling.shed(),
          routing.router()::effectiveUs));
    }).compose(x -> rollout == null ? Future.succeededFuture() : rollout.start());
  }

  /** The gRPC listener (off when {@code http.grpc-port} is off): the REST listener's options on its own port. */
  private Future<?> deployGrpc() {
    if (config.http().grpcPort() == HttpConfig.GRPC_OFF) {
      return Future.succeededFuture();
    }
    GrpcInferenceService service = new GrpcInferenceService(engine, routing.router()::route, health,
        security.handler(), metrics, CodecLimits.DEFAULTS, config.cluster().enabled() && !config.node().isCloud(),
        tracing);
    metrics.gauge(MetricName.GRPC_OPEN_STREAMS, service::openCalls);
    HttpServerOptions listen = GrpcServerVerticle.options(TlsSetup.serverOptions(
        HttpServerVerticle.options(config.http()), tls), config.http().grpcPort());
    return vertx.deployVerticle(() -> {
      GrpcServerVerticle s = new GrpcServerVerticle(service, listen, config.http().maxBodyBytes());
      if (firstGrpc == null) {
        firstGrpc = s;
      }
      return s;
    }, new DeploymentOptions().setInstances(Math.max(1, Runtime.getRuntime().availableProcessors())));
  }

  /** The gRPC listener's port, or -1 when it is off. */
  public int grpcPort() {
    return firstGrpc == null ? -1 : firstGrpc.port();
  }

  /** Watches the PEM files once the port listens (HTTPS only). */
  private void startReloader() {
    metrics.gauge(MetricName.FILE_REJECTED, () -> reloader != null && reloader.rejected() ? 1 : 0, "tls");
    if (tls != null && firstServer != null) {
      reloader = new CertificateReloader(vertx, config.tls(), firstServer.server(),
          routing.remote()::updateSSLOptions, tls);
      reloader.start();
    }
  }

  /**
   * The URL peers call: {@code cluster.advertise-url}, else the HTTP listener's host (cluster.host if wildcard),
   * {@code https://} when TLS is on. With TLS the certificate must name that host (peers verify it).
   */
  private String advertiseUrl() {
    if (!config.cluster().advertiseUrl().isEmpty()) {
      return config.cluster().advertiseUrl();
    }
    String host = config.http().host();
    if (host.equals("0.0.0.0") || host.equals("::")) {
      host = config.cluster().host();
    }
    return (tls == null ? "http://" : "https://") + host + ":" + port();
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

  public ClusterView cluster() {
    return cluster;
  }

  /** The rollout table (null when clustering is off). */
  public io.coedge.rollout.RolloutStore rollouts() {
    return rollout == null ? null : rollout.store();
  }

  public Router router() {
    return routing.router();
  }

  /**
   * Stops in order: marks the node draining (peers stop choosing it), drains the HTTP listeners ({@link Drain}:
   * no new connections, every admitted request answered within {@code node.drain-timeout-s}), undeploys them, the
   * engine (nothing queued is left by then), own cluster record removed, then Vert.x (leaves Hazelcast).
   */
  public Future<Void> close() {
    if (rollout != null) {
      rollout.close();
    }
    if (reloader != null) {
      reloader.stop();
    }
    if (routing != null) {
      routing.stopProbing(vertx);
    }
    if (scaling != null) {
      scaling.stop(); // no scale decision or actuator run while the node drains
    }
    if (security != null) {
      security.stop(vertx);
    }
    return cluster.drain()
        .transform(x -> Drain.listeners(vertx, inFlight, servers, config.node().drainTimeoutS() * 1000L))
        .transform(x -> Future.all(vertx.deploymentIDs().stream().map(vertx::undeploy).toList()))
        .transform(x -> {
          if (routing != null) {
            routing.closeClient();
          }
          return Future.succeededFuture();
        })
        .transform(x -> engine.close())
        .transform(x -> cluster.close())
        .transform(x -> tracing.close())
        .transform(x -> vertx.close());
  }
}
