package io.coedge.rollout;

import com.hazelcast.core.HazelcastInstance;
import io.coedge.cluster.ClusterView;
import io.coedge.config.RolloutConfig;
import io.coedge.inference.ModelControl;
import io.coedge.security.ModelSignatures;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.net.ClientSSLOptions;
import java.nio.file.Path;

/**
 * This node's part in fleet rollouts, assembled: the shared rollout table, the fetch client (mutual TLS and the
 * node key when security is on) and the reconciler. Started after the node joined the cluster, closed first.
 */
public final class FleetRollout {

  /** Under the models folder: the data artifacts bound to models, {@code .data/<model>/<version>}. */
  public static final String DATA = ".data";

  private final HazelcastRolloutStore store;
  private final Reconciler reconciler;
  private final HttpClient client;
  private final RolloutConfig config;

  private FleetRollout(HazelcastRolloutStore store, Reconciler reconciler, HttpClient client, RolloutConfig config) {
    this.store = store;
    this.reconciler = reconciler;
    this.client = client;
    this.config = config;
  }

  /**
   * @param ssl    client TLS options for peers (null without TLS)
   * @param apiKey this node's key for the {@code cluster} scope (null without one)
   */
  public static FleetRollout create(Vertx vertx, HazelcastInstance hz, ClusterView view, ModelControl control,
      Path models, ModelSignatures signatures, RolloutConfig config, ClientSSLOptions ssl, String apiKey,
      long maxDriftMs) {
    HttpClientAgent client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(5_000),
        new PoolOptions().setHttp1MaxSize(4));
    if (ssl != null) {
      client.updateSSLOptions(ssl);
    }
    HazelcastRolloutStore store = new HazelcastRolloutStore(vertx, hz, view.nodeId(), System::currentTimeMillis,
        maxDriftMs);
    PeerFetcher fetcher = new PeerFetcher(vertx, client, apiKey, new ByteBudget(config.maxMbps(), System::nanoTime));
    Reconciler reconciler = new Reconciler(vertx, store, view, control, fetcher,
        new VersionInstaller(vertx, models, signatures), new VersionInstaller(vertx, models.resolve(DATA),
        models.resolve(VersionInstaller.STAGING).resolve(DATA), signatures), System::currentTimeMillis,
        config.retryMs());
    return new FleetRollout(store, reconciler, client, config);
  }

  /** The manifest sha256 of the data bound to {@code model} on this node, "" when none. */
  public String data(String model) {
    return reconciler.data(model);
  }

  public RolloutStore store() {
    return store;
  }

  public Future<Void> start() {
    return store.start(config.intervalMs()).onSuccess(x -> reconciler.start(config.intervalMs()));
  }

  public Future<Void> close() {
    reconciler.stop();
    return store.close().eventually(() -> client.close());
  }
}
