package io.coedge.inference;

import ai.onnxruntime.OrtEnvironment;
import io.coedge.config.InferenceConfig;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * Loads, swaps and retires model versions: one control thread decides (so changes never interleave), a pool of
 * loading threads verifies and loads versions in parallel. A new version takes traffic only once warmed up; the
 * version it replaces then drains and closes. {@link #close()} waits for loads under way, so that no session is
 * closed, nor the process left, while ONNX Runtime is still creating one.
 */
final class ModelLifecycle implements ModelControl {

  private static final Logger LOG = Logger.getLogger(ModelLifecycle.class.getName());

  private final InferenceConfig config;
  private final VersionRegistry registry;
  private final ModelLoader loader;
  private final BiFunction<ModelVersion, OnnxModel, LoadedVersion> install;
  private final Consumer<LoadedVersion> dispose;
  private final RepositoryScanner scanner = new RepositoryScanner();
  private final Set<LoadedVersion> retired = ConcurrentHashMap.newKeySet();
  private final Map<String, VersionPolicy> policies = new ConcurrentHashMap<>();
  private final LifecycleThreads threads = new LifecycleThreads();
  private volatile OrtEnvironment env;
  private volatile boolean closing;

  /**
   * @param install makes a loaded session servable (queue, statistics, lease)
   * @param dispose closes a version that has drained
   */
  ModelLifecycle(InferenceConfig config, VersionRegistry registry, ModelLoader loader,
      BiFunction<ModelVersion, OnnxModel, LoadedVersion> install, Consumer<LoadedVersion> dispose) {
    this.config = config;
    this.registry = registry;
    this.loader = loader;
    this.install = install;
    this.dispose = dispose;
  }

  /**
   * Loads what the repository holds, each model as its version policy says; in {@code poll} mode then re-scans it
   * every interval (with a fixed delay, so scans never overlap).
   */
  Future<Void> start() {
    return threads.decide(() -> {
      env = OrtEnvironment.getEnvironment();
      scanAll(false);
      if (mode().equals("poll")) {
        threads.every(config.pollIntervalS(), this::scheduledScan);
      }
      return null;
    });
  }

  private void scheduledScan() {
    try {
      scanAll(true);
    } catch (Exception | Error e) {
      LOG.warning("repository scan failed: " + e.getMessage());
    }
  }

  @Override
  public String mode() {
    return config.modelControl();
  }

  @Override
  public List<ModelVersion> index() {
    return registry.all();
  }

  @Override
  public VersionPolicy policy(String model) {
    return policies.getOrDefault(model, VersionPolicy.DEFAULT);
  }

  @Override
  public void listen(Consumer<ModelVersion> listener) {
    registry.listen(listener);
  }

  @Override
  public Future<Void> poll() {
    return threads.decide(() -> {
      scanAll(true);
      return null;
    });
  }

  @Override
  public Future<List<ModelVersion>> load(String model, String configOverride) {
    if (!mode().equals("explicit")) {
      return Future.failedFuture(notExplicit());
    }
    return threads.decide(() -> {
      ModelRepository.ModelDir m = ModelRepository.requested(config.modelsDir(), model, ModelConfig.defaults(config),
          configOverride);
      if (m.versions().isEmpty()) {
        throw InferenceException.invalid("model '" + model + "' has no version folder");
      }
      List<ModelVersion> done = apply(SplitParts.expand(List.of(m)), false, true);
      List<ModelVersion> failed = done.stream().filter(v -> !v.ready()).toList();
      if (!failed.isEmpty()) {
        throw InferenceException.invalid("failed to load '" + model + "' version " + failed.get(0).version() + ": "
            + failed.get(0).error());
      }
      return done;
    });
  }

  @Override
  public Future<Void> unload(String model) {
    if (!mode().equals("explicit")) {
      return Future.failedFuture(notExplicit());
    }
    return threads.decide(() -> {
      if (!registry.knows(model)) {
        throw InferenceException.notFound("unknown model '" + model + "'");
      }
      registry.allServing().stream().filter(l -> SplitParts.base(l.view().name()).equals(model)) // and its parts
          .forEach(l -> retire(l.view().name(), l.view().version()));
      return null;
    });
  }

  private InferenceException notExplicit() {
    return InferenceException.invalid("explicit model load and unload need inference.model-control: explicit "
        + "(this node runs '" + mode() + "')");
  }

  private void scanAll(boolean settle) throws Exception {
    List<ModelRepository.ModelDir> dirs = SplitParts.expand(ModelRepository.scan(config.modelsDir(),
        ModelConfig.defaults(config)));
    apply(dirs, settle, false);
    if (settle) {
      Set<String> present = ConcurrentHashMap.newKeySet();
      dirs.forEach(d -> present.add(d.name()));
      for (LoadedVersion l : registry.allServing()) {
        if (!present.contains(l.view().name())) {
          scanner.forget(l.view().name());
          retire(l.view().name(), l.view().version());
        }
      }
    }
  }

  /** Plans every model, loads the planned versions in parallel, then retires what each model no longer wants. */
  private List<ModelVersion> apply(List<ModelRepository.ModelDir> dirs, boolean settle, boolean force)
      throws Exception {
    List<RepositoryScanner.Plan> plans = new ArrayList<>();
    List<List<java.util.concurrent.Future<ModelVersion>>> loads = new ArrayList<>();
    for (ModelRepository.ModelDir m : dirs) {
      List<String> serving = registry.servingVersions(m.name()).stream().map(l -> l.view().version()).toList();
      RepositoryScanner.Plan plan = scanner.plan(m, serving, settle, force);
      policies.put(m.name(), m.policy());
      List<java.util.concurrent.Future<ModelVersion>> mine = new ArrayList<>();
      for (ModelRepository.VersionDir v : plan.load()) {
        registry.note(new ModelVersion(m.name(), v.version(), ModelVersion.State.LOADING, null, null, 0, m.config(),
            List.of(), List.of()));
        mine.add(threads.load(() -> loadOne(m.entry(v))));
      }
      plans.add(plan);
      loads.add(mine);
    }
    List<ModelVersion> out = new ArrayList<>();
    for (int i = 0; i < dirs.size(); i++) {
      boolean allOk = true;
      for (int j = 0; j < loads.get(i).size(); j++) {
        ModelVersion v = loads.get(i).get(j).get();
        scanner.loaded(dirs.get(i), plans.get(i).load().get(j), v.ready());
        allOk &= v.ready();
        out.add(v);
      }
      if (allOk) {
        String name = dirs.get(i).name();
        plans.get(i).retire().forEach(v -> retire(name, v));
      }
    }
    return out;
  }

  private ModelVersion loadOne(ModelRepository.Entry e) {
    long t0 = System.nanoTime();
    try {
      ModelLoader.Result r = loader.load(env, e);
      if (closing) {
        r.model().close();
        throw new IllegalStateException("node is shutting down");
      }
      ModelVersion view = new ModelVersion(e.name(), e.version(), ModelVersion.State.READY, null, r.sha256(),
          r.size(), e.config(), r.model().inputs(), r.model().outputs(), r.verified().manifestSha256(),
          r.verified().keyId());
      LoadedVersion old = registry.ready(install.apply(view, r.model()));
      if (old != null) {
        drain(old);
      }
      LOG.info("model " + e.name() + "/" + e.version() + " ready in " + (System.nanoTime() - t0) / 1_000_000
          + " ms (" + r.size() + " bytes, sha256 " + r.sha256().substring(0, 12)
          + (r.verified().keyId() == null ? ", unsigned" : ", signed by key " + r.verified().keyId()) + ", batching "
          + (r.model().batched() ? "up to " + e.config().maxBatchSize() : "off") + ")");
      return view;
    } catch (Exception | Error ex) {
      String why = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
      LOG.severe("model " + e.name() + "/" + e.version() + " not loaded: " + why);
      ModelVersion failed = new ModelVersion(e.name(), e.version(), ModelVersion.State.FAILED, why, null, 0,
          e.config(), List.of(), List.of());
      registry.note(failed);
      return failed;
    }
  }

  private void retire(String name, String version) {
    LoadedVersion l = registry.serving(name, version);
    if (l != null) {
      retired.add(l);
      registry.retire(name, version, this::closeWhenDrained);
      LOG.info("model " + name + "/" + version + " draining (" + l.lease().inFlight() + " requests in flight)");
    }
  }

  /** A replaced copy of a version: no new requests, closed once its last one has answered. */
  private void drain(LoadedVersion old) {
    retired.add(old);
    old.lease().drain(() -> closeWhenDrained(old));
  }

  /** Runs on whichever thread answered the last request: the session is closed on the control thread. */
  private void closeWhenDrained(LoadedVersion l) {
    threads.later(() -> disposeOnce(l));
  }

  private void disposeOnce(LoadedVersion l) {
    if (retired.remove(l)) {
      dispose.accept(l);
      LOG.info("model " + l.view().name() + "/" + l.view().version() + " unloaded");
    }
  }

  /**
   * Stops deciding and loading and waits (bounded) for loads under way; afterwards no thread of this lifecycle is
   * inside ONNX Runtime, so the caller may close sessions. Returns the versions still to close.
   */
  List<LoadedVersion> close() {
    closing = true;
    threads.close();
    List<LoadedVersion> left = new ArrayList<>(registry.allServing());
    left.addAll(retired);
    retired.clear();
    return left;
  }
}

