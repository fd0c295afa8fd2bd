package io.coedge.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coedge.cluster.Artifact;
import io.coedge.cluster.HybridLogicalClock;
import io.coedge.cluster.InMemoryClusterView;
import io.coedge.cluster.NodeRecord;
import io.coedge.cluster.VersionRecord;
import io.coedge.config.NodeConfig;
import io.coedge.inference.DataType;
import io.coedge.inference.InferRequest;
import io.coedge.inference.InferResult;
import io.coedge.inference.InferenceEngine;
import io.coedge.inference.InferenceException;
import io.coedge.inference.ModelConfig;
import io.coedge.inference.ModelLoad;
import io.coedge.inference.ModelVersion;
import io.coedge.inference.OffloadMode;
import io.coedge.inference.Tensor;
import io.coedge.observability.Metrics;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The router's flow against fakes: an engine with a settable queue, an in-memory cluster, a scripted remote. */
class RouterTest {

  private static final String SHA = Peers.SHA;
  private final FakeClock clock = new FakeClock();
  private final InMemoryClusterView cluster = new InMemoryClusterView("edge", 2_000, clock::millis);
  private final FakeEngine engine = new FakeEngine();
  private final FakeRemote remote = new FakeRemote();

  private Router router(String role) {
    CostModel costs = new CostModel(Peers.defaults(), clock);
    return new Router(engine, cluster, new NodeConfig("edge", role, "lab"), Peers.defaults(), costs,
        new PeerSelector(costs, clock, n -> 0, 30_000), remote, Metrics.NOOP, clock);
  }

  private void cloud(String id, String model) {
    cluster.put(new NodeRecord(id, "", "cloud", "lab", "http://" + id, "t", false, 1, clock.millis(),
        List.of(new NodeRecord.Model(model, "1", SHA, true, 1, 0, 0, 2_000, 1, 2_000))));
  }

  private static Call call(String model, boolean hop, OffloadMode mode) {
    InferRequest r = new InferRequest("r1", model, null, List.of(), List.of(), false, 0, 0, mode);
    return new Call(r, Buffer.buffer("{\"inputs\":[]}"), "application/json", null, hop);
  }

  private static <T> T await(Future<T> f) {
    return f.toCompletionStage().toCompletableFuture().join();
  }

  private static Throwable failure(Future<?> f) {
    assertTrue(f.failed(), "expected a failure");
    return f.cause();
  }

  @Test
  void aQueueBeyondTheObjectiveGoesToTheCloudAndComesBackRelayed() {
    cloud("c1", "m");
    engine.queued = 9; // 10 × 10 ms > 0.8 × 100 ms
    Routed r = await(router("edge").route(call("m", false, OffloadMode.AUTO)));
    assertEquals("offload", r.route());
    assertEquals("c1", r.servedBy());
    assertEquals("answer from http://c1", r.relayed().body().toString());
    assertEquals(List.of("http://c1 m/1"), remote.calls);
  }

  @Test
  void withinTheObjectiveItStaysLocal() {
    cloud("c1", "m");
    engine.queued = 2;
    assertEquals("local", await(router("edge").route(call("m", false, OffloadMode.AUTO))).route());
    assertTrue(remote.calls.isEmpty());
  }

  @Test
  void hopsCloudNodesEdgeOnlyAndOffloadNeverNeverLeaveTheBox() {
    cloud("c1", "m");
    engine.queued = 9;
    for (Future<Routed> f : List.of(router("edge").route(call("m", true, OffloadMode.AUTO)),
        router("cloud").route(call("m", false, OffloadMode.AUTO)),
        router("edge").route(call("m", false, OffloadMode.NEVER)))) {
      assertInstanceOf(InferenceException.Overloaded.class, failure(f), "503 at once rather than a queue too long");
    }
    assertTrue(remote.calls.isEmpty());
  }

  @Test
  void aFailedCloudIsRetriedOnAnotherThenLocalAnswersIfBothFail() {
    cloud("c1", "m");
    cloud("c2", "m");
    engine.queued = 9;
    remote.failing.add("http://c1");
    Routed r = await(router("edge").route(call("m", false, OffloadMode.AUTO)));
    assertEquals("c2", r.servedBy());
    assertEquals(2, remote.calls.size());

    remote.failing.add("http://c2");
    engine.queued = 0; // local can still make the deadline
    engine.estimateOverride = 90_000; // the decision still says cloud
    Routed fallback = await(router("edge").route(call("m", false, OffloadMode.PREFER)));
    assertEquals("fallback", fallback.route());
    assertEquals("edge", fallback.servedBy());
  }

  @Test
  void withoutALocalPermitTheRequestIsOffloaded() {
    cloud("c1", "m");
    engine.refuse = true;
    assertEquals("offload", await(router("edge").route(call("m", false, OffloadMode.AUTO))).route());
  }

  @Test
  void cascadeAsksTheLargerModelOnlyWhenUnsureAndFallsBackWhenItFails() {
    cloud("c1", "big");
    cluster.putVersion(new VersionRecord(Artifact.model("big", "1", SHA, 10), "c1",
        new HybridLogicalClock.Timestamp(clock.millis(), 0)));
    engine.policy = "cascade";
    engine.top = 0.99f;
    assertEquals("local", await(router("edge").route(call("m", false, OffloadMode.AUTO))).route());
    engine.top = 0.5f;
    Routed asked = await(router("edge").route(call("m", false, OffloadMode.AUTO)));
    assertEquals("cascade", asked.route());
    assertEquals(List.of("http://c1 big/1"), remote.calls);
    remote.failing.add("http://c1");
    Routed fallback = await(router("edge").route(call("m", false, OffloadMode.AUTO)));
    assertEquals("fallback", fallback.route());
    assertEquals(0.5f, fallback.result().outputs().get(0).data().getFloat(0));
  }

  @Test
  void aCascadeCallThatFailsIsRetriedOnAnotherCloudBeforeFallingBack() {
    cloud("c1", "big");
    cloud("c2", "big");
    cluster.putVersion(new VersionRecord(Artifact.model("big", "1", SHA, 10), "c1",
        new HybridLogicalClock.Timestamp(clock.millis(), 0)));
    engine.policy = "cascade";
    engine.top = 0.5f;
    remote.failing.add("http://c1");
    Routed retried = await(router("edge").route(call("m", false, OffloadMode.AUTO)));
    assertEquals("cascade", retried.route());
    assertEquals("c2", retried.servedBy());
    assertEquals(List.of("http://c1 big/1", "http://c2 big/1"), remote.calls);
  }

  /** One model "m" (and "big"), 10 ms per request, one worker, a 100 ms objective. */
  private static final class FakeEngine implements InferenceEngine {
    int queued;
    boolean refuse;
    double estimateOverride = -1;
    String policy = "local-first";
    float top = 1f;

    @Override
    public ModelVersion resolve(String model, String version) {
      ModelConfig c = new ModelConfig(0, 0, 64, 100_000, List.of(), policy, "big", 0.9);
      return new ModelVersion(model, "1", ModelVersion.State.READY, null, SHA, 10, c, List.of(), List.of());
    }

    @Override
    public List<io.coedge.inference.ModelStatistics.Snapshot> statistics(String model, String version) {
      return List.of();
    }

    @Override
    public Future<InferResult> infer(InferRequest request) {
      if (refuse) {
        return Future.failedFuture(InferenceException.overloaded("queue full", 1));
      }
      ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(top).putFloat(1 - top).flip();
      return Future.succeededFuture(new InferResult(request.model(), "1",
          List.of(Tensor.fixed("p", DataType.FP32, new long[] {1, 2}, b)), 0, 10_000));
    }

    @Override
    public ModelLoad load(String model, String version) {
      if (estimateOverride >= 0) {
        return new ModelLoad((int) (estimateOverride / 10_000) - 1, 0, 10_000, 1, 1, estimateOverride);
      }
      return new ModelLoad(queued, 0, 10_000, 1, 1, (queued + 1) * 10_000.0);
    }

    public Future<Void> start() {
      return Future.succeededFuture();
    }

    public List<ModelVersion> models() {
      return List.of(resolve("m", "1"));
    }

    public double estimateUs(String model, String version) {
      return load(model, version).estimateUs();
    }

    public int pending(String model, String version) {
      return queued;
    }

    public boolean started() {
      return true;
    }

    public Future<Void> close() {
      return Future.succeededFuture();
    }
  }

  /** Answers "answer from URL" unless the URL is in {@code failing} (then a 503). */
  private static final class FakeRemote implements Remote {
    final List<String> calls = new ArrayList<>();
    final List<String> failing = new ArrayList<>();

    @Override
    public Future<RemoteAnswer> infer(String baseUrl, String model, String version, Buffer body, String contentType,
        String jsonLength, long timeoutUs) {
      calls.add(baseUrl + " " + model + "/" + version);
      if (failing.contains(baseUrl)) {
        return Future.failedFuture(new RemoteFailure(503, baseUrl + " answered 503"));
      }
      return Future.succeededFuture(new RemoteAnswer(baseUrl.substring(7), model, version,
          Buffer.buffer("answer from " + baseUrl), "application/json", null, 100, 2_000));
    }

    @Override
    public Future<Long> probe(String baseUrl, long timeoutMs) {
      return Future.succeededFuture(20_000L);
    }
  }

}
