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
import java.util.function.UnaryOperator;
import java.util.logging.Logger;

/** {@link InferenceEngine} over ONNX Runtime sessions, one per model version, behind one {@link Scheduler}. */
public final class OnnxInferenceEngine implements InferenceEngine {

  private static final Logger LOG = Logger.getLogger(OnnxInferenceEngine.class.getName());

  private final InferenceConfig config;
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
    this.config = config;
    this.scheduler = new Scheduler(config.workers(), System::nanoTime, (model, version, rows, nanos) -> {
      Loaded l = registry.serving(model, version);
      if (l != null) {
        l.stats().executed(rows, nanos);
      }
      listener.batchDone(model, version, rows, nanos);
    });
    this.lifecycle = new ModelLifecycle(config, registry,
        new ModelLoader(config.modelsDir(), signatures, config.intraOpThreads()),
        (view, model) -> new Loaded(view, model, scheduler.register(backends.apply(model)),
            new ModelStatistics(view.name(), view.version()), new Lease()),
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

  private void dispose(Loaded l) {
    scheduler.unregister(l.queue());
    try {
      l.model().close();
    } catch (OrtException | RuntimeException e) {
      LOG.warning("closing " + l.view().name() + "/" + l.view().version() + ": " + e.getMessage());
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
  public ModelVersion resolve(String model, String version) {
    return lookup(model, version).view();
  }

  private Loaded lookup(String model, String version) {
    Loaded l = version != null ? registry.serving(model, version) : registry.latest(model);
    if (l == null) {
      boolean known = registry.knows(model);
      throw InferenceException.notFound(!known ? "unknown model '" + model + "'" : version != null
          ? "model '" + model + "' has no ready version '" + version + "'"
          : "model '" + model + "' has no ready version");
    }
    return l;
  }

  /** The version a request runs on, holding its lease: a version that began draining is resolved again. */
  private Loaded acquire(String model, String version) {
    while (true) {
      Loaded l = lookup(model, version);
      if (l.lease().acquire()) {
        return l;
      }
      Thread.onSpinWait();
    }
  }

  @Override
  public Future<InferResult> infer(InferRequest request) {
    long now = System.nanoTime();
    Loaded l;
    try {
      l = acquire(request.model(), request.version());
    } catch (InferenceException e) {
      return Future.failedFuture(e);
    }
    int rows;
    try {
      rows = RequestValidator.validate(request, l.view(), l.model().batched());
    } catch (InferenceException e) {
      l.stats().failed(System.nanoTime() - now);
      l.lease().release();
      return Future.failedFuture(e);
    }
    return queue(request, l, rows, now).andThen(ar -> {
      l.lease().release();
      long took = System.nanoTime() - now;
      if (ar.succeeded()) {
        l.stats().succeeded(rows, took, ar.result().queueUs(), ar.result().computeUs(), System.currentTimeMillis());
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
    for (ModelVersion v : registry.all()) {
      Loaded l = registry.serving(v.name(), v.version());
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
    Loaded l = registry.serving(model, version);
    return l == null ? 0 : scheduler.pending(l.queue());
  }

  /**
   * Waits for loads under way (a session must not be closed, nor the process left, while ONNX Runtime creates one),
   * then fails queued work, lets running batches finish, and closes every session.
   */
  @Override
  public Future<Void> close() {
    Promise<Void> done = Promise.promise();
    Thread closer = new Thread(() -> {
      List<Loaded> left = lifecycle.close();
      scheduler.close();
      left.forEach(this::dispose);
      done.complete();
    }, "coedge-engine-close");
    closer.start();
    return done.future();
  }
}
