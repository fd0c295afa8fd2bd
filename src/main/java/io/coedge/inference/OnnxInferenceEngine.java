package io.coedge.inference;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import io.coedge.config.InferenceConfig;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.UnaryOperator;
import java.util.logging.Logger;

/** {@link InferenceEngine} over ONNX Runtime sessions, one per model version, behind one {@link Scheduler}. */
public final class OnnxInferenceEngine implements InferenceEngine {

  private static final Logger LOG = Logger.getLogger(OnnxInferenceEngine.class.getName());

  private record Loaded(ModelVersion view, OnnxModel model, ModelQueue queue, ModelStatistics stats) {
  }

  private final InferenceConfig config;
  private final Scheduler scheduler;
  private final UnaryOperator<LoadedModel> backends;
  private OrtEnvironment env;
  private final Map<String, Loaded> loaded = new ConcurrentHashMap<>();
  /** Per model name, its highest loaded version: what a request without a version gets. */
  private final Map<String, Loaded> latest = new ConcurrentHashMap<>();
  private volatile List<ModelVersion> all = List.of();
  private volatile boolean started;

  public OnnxInferenceEngine(InferenceConfig config, Scheduler.Listener listener) {
    this(config, listener, UnaryOperator.identity());
  }

  /** {@code backends} wraps each loaded model before the scheduler runs it (tests emulate slower hardware). */
  OnnxInferenceEngine(InferenceConfig config, Scheduler.Listener listener, UnaryOperator<LoadedModel> backends) {
    this.config = config;
    this.scheduler = new Scheduler(config.workers(), System::nanoTime, listener);
    this.backends = backends;
  }

  /**
   * Loads on threads of its own rather than a Vert.x worker, so that it can run while Vert.x and the
   * Hazelcast member are still starting (the node is ready sooner); versions load in parallel.
   */
  @Override
  public Future<Void> start() {
    Promise<Void> done = Promise.promise();
    Thread loader = new Thread(() -> {
      try {
        env = OrtEnvironment.getEnvironment();
        List<ModelRepository.Entry> entries = ModelRepository.scan(config.modelsDir(), ModelConfig.defaults(config));
        int threads = Math.max(1, Math.min(entries.size(), InferenceConfig.CORES));
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> new Thread(r, "coedge-model-load"));
        try {
          List<java.util.concurrent.Future<ModelVersion>> loads = new ArrayList<>();
          for (ModelRepository.Entry e : entries) {
            loads.add(pool.submit(() -> load(e)));
          }
          List<ModelVersion> found = new ArrayList<>();
          for (java.util.concurrent.Future<ModelVersion> f : loads) {
            found.add(f.get());
          }
          all = List.copyOf(found);
        } finally {
          pool.shutdown();
        }
        started = true;
        done.complete();
      } catch (Exception | Error e) {
        done.fail(e);
      }
    }, "coedge-model-repository");
    loader.setDaemon(true);
    loader.start();
    return done.future();
  }

  private ModelVersion load(ModelRepository.Entry e) {
    if (e.configError() != null) {
      LOG.severe("model " + e.name() + "/" + e.version() + " not loaded: bad config " + e.configError());
      return failed(e, "bad config.yaml: " + e.configError());
    }
    try {
      byte[] bytes = Files.readAllBytes(e.file());
      long t0 = System.nanoTime();
      OnnxModel model = OnnxModel.load(env, e.name(), e.version(), bytes, e.config(), config.intraOpThreads());
      ModelVersion view = new ModelVersion(e.name(), e.version(), ModelVersion.State.READY, null, sha256(bytes),
          bytes.length, e.config(), model.inputs(), model.outputs());
      ModelStatistics stats = new ModelStatistics(e.name(), e.version());
      model.onBatch(stats::executed); // per-batch statistics from the batch's own compute times
      Loaded l = new Loaded(view, model, scheduler.register(backends.apply(model)), stats);
      loaded.put(key(e.name(), e.version()), l);
      latest.merge(e.name(), l, (a, b) -> b.view().versionNumber() > a.view().versionNumber() ? b : a);
      LOG.info("model " + e.name() + "/" + e.version() + " ready in " + (System.nanoTime() - t0) / 1_000_000
          + " ms (" + bytes.length + " bytes, sha256 " + view.sha256().substring(0, 12) + ", batching "
          + (model.batched() ? "up to " + e.config().maxBatchSize() : "off") + ")");
      return view;
    } catch (Exception | UnsatisfiedLinkError ex) {
      LOG.severe("model " + e.name() + "/" + e.version() + " failed to load: " + ex.getMessage());
      return failed(e, ex.getMessage());
    }
  }

  private static ModelVersion failed(ModelRepository.Entry e, String why) {
    return new ModelVersion(e.name(), e.version(), ModelVersion.State.FAILED, why, null, 0, e.config(), List.of(),
        List.of());
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String key(String name, String version) {
    return name + '/' + version;
  }

  @Override
  public List<ModelVersion> models() {
    return all;
  }

  @Override
  public boolean started() {
    return started;
  }

  @Override
  public ModelVersion resolve(String model, String version) {
    return lookup(model, version).view();
  }

  private Loaded lookup(String model, String version) {
    if (version != null) {
      Loaded l = loaded.get(key(model, version));
      if (l == null) {
        boolean known = all.stream().anyMatch(m -> m.name().equals(model));
        throw InferenceException.notFound(known
            ? "model '" + model + "' has no ready version '" + version + "'"
            : "unknown model '" + model + "'");
      }
      return l;
    }
    Loaded best = latest.get(model);
    if (best == null) {
      boolean known = all.stream().anyMatch(m -> m.name().equals(model));
      throw InferenceException.notFound(known ? "model '" + model + "' has no ready version"
          : "unknown model '" + model + "'");
    }
    return best;
  }

  @Override
  public Future<InferResult> infer(InferRequest request) {
    long now = System.nanoTime();
    Loaded l;
    try {
      l = lookup(request.model(), request.version());
    } catch (InferenceException e) {
      return Future.failedFuture(e);
    }
    int rows;
    try {
      rows = RequestValidator.validate(request, l.view(), l.model().batched());
    } catch (InferenceException e) {
      l.stats().failed(System.nanoTime() - now);
      return Future.failedFuture(e);
    }
    return queue(request, l, rows, now).andThen(ar -> {
      long took = System.nanoTime() - now;
      if (ar.succeeded()) {
        InferResult r = ar.result();
        l.stats().succeeded(rows, took, r.queueUs(), r.computeUs(), r.times(), System.currentTimeMillis());
      } else {
        l.stats().failed(took);
      }
    });
  }

  /** Queues a validated request of {@code rows} rows on {@code l}, with its deadline counted from {@code now}. */
  private Future<InferResult> queue(InferRequest request, Loaded l, int rows, long now) {
    long timeoutUs = request.timeoutUs() > 0 ? request.timeoutUs() : l.view().config().timeoutUs();
    long deadline = timeoutUs > 0 ? now + timeoutUs * 1000 : Long.MAX_VALUE;
    int priority = request.priority() > 0 ? request.priority() : Integer.MAX_VALUE;
    Context ctx = Vertx.currentContext();
    Promise<InferResult> promise = Promise.promise();
    Job job = new Job(request, l.model(), now, deadline, priority, scheduler.nextSeq(), rows, (result, error) -> {
      if (ctx == null) {
        settle(promise, result, error);
      } else {
        ctx.runOnContext(v -> settle(promise, result, error));
      }
    });
    Scheduler.Rejection no = scheduler.offer(l.queue(), job);
    if (no != null) {
      return Future.failedFuture(rejection(no, l));
    }
    if (deadline != Long.MAX_VALUE && ctx != null) {
      Vertx vertx = ctx.owner();
      long delayMs = Math.max(1, (deadline - now) / 1_000_000);
      long timer = vertx.setTimer(delayMs, id -> {
        if (scheduler.cancel(l.queue(), job)) {
          job.fail(InferenceException.overloaded("deadline of " + timeoutUs + " µs passed while queued for model '"
              + request.model() + "'", retryAfter(l)));
        }
      });
      return promise.future().onComplete(ar -> vertx.cancelTimer(timer));
    }
    return promise.future();
  }

  private static void settle(Promise<InferResult> promise, InferResult result, Throwable error) {
    if (error != null) {
      promise.fail(error);
    } else {
      promise.complete(result);
    }
  }

  private InferenceException rejection(Scheduler.Rejection no, Loaded l) {
    String m = "model '" + l.view().name() + "' version " + l.view().version();
    return switch (no) {
      case QUEUE_FULL -> InferenceException.overloaded(m + " is overloaded: its queue of "
          + l.view().config().maxQueue() + " is full", retryAfter(l));
      case DEADLINE -> InferenceException.overloaded(m + " cannot answer within the request's deadline (expected "
          + Math.round(scheduler.estimateUs(l.queue())) + " µs)", retryAfter(l));
      case SHUTTING_DOWN -> InferenceException.overloaded("server is shutting down", 1);
    };
  }

  private int retryAfter(Loaded l) {
    return (int) Math.ceil(scheduler.estimateUs(l.queue()) / 1_000_000.0);
  }

  @Override
  public List<ModelStatistics.Snapshot> statistics(String model, String version) {
    List<ModelStatistics.Snapshot> out = new ArrayList<>();
    for (ModelVersion v : all) {
      Loaded l = loaded.get(key(v.name(), v.version()));
      if (l != null && (model == null || v.name().equals(model)) && (version == null || v.version().equals(version))) {
        out.add(l.stats().snapshot());
      }
    }
    return out;
  }

  @Override
  public double estimateUs(String model, String version) {
    return scheduler.estimateUs(lookup(model, version).queue());
  }

  @Override
  public ModelLoad load(String model, String version) {
    return scheduler.load(lookup(model, version).queue());
  }

  @Override
  public int pending(String model, String version) {
    Loaded l = loaded.get(key(model, version));
    return l == null ? 0 : scheduler.pending(l.queue());
  }

  @Override
  public Future<Void> close() {
    Promise<Void> done = Promise.promise();
    Thread closer = new Thread(() -> {
      scheduler.close();
      for (Loaded l : loaded.values()) {
        try {
          l.model().close();
        } catch (OrtException e) {
          LOG.warning("closing " + l.view().name() + ": " + e.getMessage());
        }
      }
      loaded.clear();
      latest.clear();
      done.complete();
    }, "coedge-engine-close");
    closer.start();
    return done.future();
  }
}
