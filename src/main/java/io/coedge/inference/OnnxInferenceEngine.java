package io.coedge.inference;

import ai.onnxruntime.OrtException;
import io.coedge.config.InferenceConfig;
import io.coedge.security.ModelSignatures;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.logging.Logger;

/**
 * {@link InferenceEngine} over ONNX Runtime sessions, one per model version, behind one {@link Scheduler}; the
 * versions come and go through {@link ModelLifecycle}.
 */
public final class OnnxInferenceEngine implements InferenceEngine {

  private static final Logger LOG = Logger.getLogger(OnnxInferenceEngine.class.getName());

  private final Scheduler scheduler;
  private final VersionRegistry registry = new VersionRegistry();
  private final ModelLifecycle lifecycle;
  private volatile boolean started;

  public OnnxInferenceEngine(InferenceConfig config, Scheduler.Listener listener) {
    this(config, listener, UnaryOperator.identity(), new ModelSignatures(List.of(), false));
  }

  /** An engine whose model versions must pass {@code signatures} before they load. */
  public OnnxInferenceEngine(InferenceConfig config, Scheduler.Listener listener, ModelSignatures signatures) {
    this(config, listener, UnaryOperator.identity(), signatures);
  }

  /** {@code backends} wraps each loaded model before the scheduler runs it (tests emulate slower hardware). */
  OnnxInferenceEngine(InferenceConfig config, Scheduler.Listener listener, UnaryOperator<LoadedModel> backends) {
    this(config, listener, backends, new ModelSignatures(List.of(), false));
  }

  private OnnxInferenceEngine(InferenceConfig config, Scheduler.Listener listener,
      UnaryOperator<LoadedModel> backends, ModelSignatures signatures) {
    this.scheduler = new Scheduler(config.workers(), System::nanoTime, ThreadCpu::nanos, config.inlineMaxUs() * 1000,
        listener);
    this.lifecycle = new ModelLifecycle(config, registry,
        new ModelLoader(config.modelsDir(), signatures, config.intraOpThreads()),
        (view, model) -> {
          LoadedModel backend = backends.apply(model);
          // measured before the statistics listen: these runs are not requests
          long seed = ServiceSeed.wanted(view) ? ServiceSeed.measure(backend) : 0;
          ModelStatistics stats = new ModelStatistics(view.name(), view.version());
          model.onBatch(stats::executed); // per-batch statistics from the batch's own compute times
          return new LoadedVersion(view, model, scheduler.register(backend, seed), stats, new Lease(), scheduler);
        },
        this::dispose);
  }

  /**
   * Loads on threads of its own rather than a Vert.x worker, so that it can run while Vert.x and the
   * Hazelcast member are still starting (the node is ready sooner); versions load in parallel.
   */
  @Override
  public Future<Void> start() {
    return lifecycle.start().onSuccess(v -> started = true);
  }

  @Override
  public ModelControl control() {
    return lifecycle;
  }

  private void dispose(LoadedVersion l) {
    scheduler.unregister(l.queue);
    try {
      l.model.close();
    } catch (OrtException | RuntimeException e) {
      LOG.warning("closing " + l.view.name() + "/" + l.view.version() + ": " + e.getMessage());
    }
  }

  @Override
  public List<ModelVersion> models() {
    return registry.all();
  }

  @Override
  public boolean started() {
    return started;
  }

  @Override
  public ModelHandle handle(String model, String version) {
    LoadedVersion l = version != null ? registry.serving(model, version) : registry.latest(model);
    if (l == null) {
      boolean known = registry.knows(model);
      throw InferenceException.notFound(!known ? "unknown model '" + model + "'" : version != null
          ? "model '" + model + "' has no ready version '" + version + "'"
          : "model '" + model + "' has no ready version");
    }
    return l;
  }

  /**
   * A queue place on the handle's version, holding its lease so that the version drains before its session
   * closes. A version retired between resolve and admission (a swap) hands over to the model's newest ready
   * version when that one takes the same inputs and outputs, so a swap under load fails no request.
   */
  @Override
  public Optional<Permit> acquire(ModelHandle model) {
    LoadedVersion l = (LoadedVersion) model;
    while (!l.lease.acquire()) {
      LoadedVersion next = registry.latest(l.view.name());
      if (next == null || next == l || !next.sameSignature(l)) {
        return Optional.empty();
      }
      l = next;
    }
    if (!scheduler.reserve(l.queue)) {
      l.lease.release();
      return Optional.empty();
    }
    return Optional.of(new Permit(l));
  }

  @Override
  public Future<InferResult> infer(Permit permit, InferRequest request, int rows, long remainingUs) {
    LoadedVersion l = (LoadedVersion) permit.model();
    long now = System.nanoTime();
    long deadline = remainingUs > 0 ? now + remainingUs * 1000 : Long.MAX_VALUE;
    int priority = request.priority() > 0 ? request.priority() : Integer.MAX_VALUE;
    Context ctx = Vertx.currentContext();
    Promise<InferResult> promise = Promise.promise();
    Job job = new Job(request, l.model, now, deadline, priority, scheduler.nextSeq(), rows, (result, error) -> {
      finished(l, rows, now, result, error); // where it completes: no extra future per request
      if (ctx == null || Vertx.currentContext() == ctx) { // run inline: already on the caller's context
        settle(promise, result, error);
      } else {
        ctx.runOnContext(v -> settle(promise, result, error));
      }
    });
    boolean onLoop = ctx != null && ctx.isEventLoopContext() && Context.isOnEventLoopThread();
    if (!scheduler.offer(l.queue, job, onLoop)) {
      l.lease.release();
      return Future.failedFuture(InferenceException.overloaded("server is shutting down", 1));
    }
    return promise.future();
  }

  /** The job's lease goes back and its statistics are counted, on the thread that completed it. */
  private static void finished(LoadedVersion l, int rows, long start, InferResult r, Throwable error) {
    l.lease.release();
    long took = System.nanoTime() - start;
    if (error == null) {
      l.stats.succeeded(rows, took, r.queueUs(), r.computeUs(), r.times(), System.currentTimeMillis());
    } else {
      l.stats.failed(took);
    }
  }

  private static void settle(Promise<InferResult> promise, InferResult result, Throwable error) {
    if (error != null) {
      promise.fail(error);
    } else {
      promise.complete(result);
    }
  }

  @Override
  public List<ModelStatistics.Snapshot> statistics(String model, String version) {
    List<ModelStatistics.Snapshot> out = new ArrayList<>();
    for (ModelVersion v : registry.all()) {
      LoadedVersion l = registry.serving(v.name(), v.version());
      if (l != null && (model == null || v.name().equals(model)) && (version == null || v.version().equals(version))) {
        out.add(l.stats.snapshot());
      }
    }
    return out;
  }

  /**
   * Waits for loads under way (a session must not be closed, nor the process left, while ONNX Runtime creates one),
   * then fails queued work, lets running batches finish, and closes every session.
   */
  @Override
  public Future<Void> close() {
    Promise<Void> done = Promise.promise();
    Thread closer = new Thread(() -> {
      List<LoadedVersion> left = lifecycle.close();
      scheduler.close();
      left.forEach(this::dispose);
      done.complete();
    }, "coedge-engine-close");
    closer.start();
    return done.future();
  }
}
