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
import io.coedge.inference.ModelHandle;
import io.coedge.inference.ModelLoad;
import io.coedge.inference.ModelVersion;
import io.coedge.inference.OffloadMode;
import io.coedge.inference.Permit;
import io.coedge.inference.Tensor;
import io.coedge.observability.Metrics;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

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
    return call(model, hop ? 1 : 0, mode);
  }

  private static Call call(String model, int hops, OffloadMode mode) {
    InferRequest r = new InferRequest("r1", model, null, List.of(), List.of(), false, 0, 0, mode);
    return new Call(r, Buffer.buffer("{\"inputs\":[]}"), "application/json", null, hops,
        io.coedge.observability.RequestTrace.NONE);
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
  void requestsAtTheHopLimitCloudNodesEdgeOnlyAndOffloadNeverNeverLeaveTheBox() {
    cloud("c1", "m");
    engine.queued = 9;
    for (Future<Routed> f : List.of(router("edge").route(call("m", Hop.LIMIT, OffloadMode.AUTO)),
        router("regional").route(call("m", Hop.LIMIT, OffloadMode.AUTO)),
        router("cloud").route(call("m", false, OffloadMode.AUTO)),
        router("edge").route(call("m", false, OffloadMode.NEVER)))) {
      assertInstanceOf(InferenceException.Overloaded.class, failure(f), "503 at once rather than a queue too long");
    }
    assertTrue(remote.calls.isEmpty());
  }

  @Test
  void aRegionalNodeSendsAForwardedRequestOnToTheCloudWithItsPath() {
    cloud("c1", "m");
    engine.queued = 9;
    Routed r = await(router("regional").route(call("m", 1, OffloadMode.AUTO)));
    assertEquals("offload", r.route());
    assertEquals("edge>c1", r.path()); // this router's node id is "edge"; the fake peer reports no path
    assertTrue(r.plan().matches("remote path=edge>c1 predicted-us=\\d+ observed-us=\\d+"), r.plan());
    assertEquals(List.of("http://c1 m/1"), remote.calls);
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

  @Test
  void aMalformedRequestIsA400BeforeAnyDecisionAndNeverLeavesTheBox() {
    cloud("c1", "m");
    engine.queued = 9; // the decision would be "offload"
    engine.invalid = true;
    Throwable offloadable = failure(router("edge").route(call("m", false, OffloadMode.AUTO)));
    assertEquals(400, ((InferenceException) offloadable).status());
    engine.refuse = true; // and where local admission would refuse and a cloud answer
    Throwable refused = failure(router("edge").route(call("m", false, OffloadMode.AUTO)));
    assertEquals(400, ((InferenceException) refused).status());
    assertTrue(remote.calls.isEmpty(), "nothing was sent: " + remote.calls);
  }

  @Test
  void theModelVersionIsLookedUpOncePerRequest() {
    cloud("c1", "m");
    engine.queued = 9;
    engine.refuse = true; // decision, no permit, offload: three places that used to look it up
    await(router("edge").route(call("m", false, OffloadMode.AUTO)));
    assertEquals(1, engine.handles);
    assertEquals(0, engine.answered, "an offloaded answer does not teach the local estimate");
  }

  @Test
  void aLocalAnswerTeachesTheLocalEstimate() {
    await(router("edge").route(call("m", false, OffloadMode.AUTO)));
    assertEquals(1, engine.answered);
  }

  @Test
  void aRefusingEstimateIsRemeasuredOnceNothingHasRefreshedItForASecond() {
    engine.serviceUs = 150_000; // one slow batch: 150 ms expected against a 100 ms objective
    engine.idleUs = Router.REMEASURE_US - 1;
    assertInstanceOf(InferenceException.Overloaded.class,
        failure(router("edge").route(call("m", false, OffloadMode.NEVER))));
    engine.idleUs = Router.REMEASURE_US; // nothing ran for a second: one request is let through to measure again
    assertEquals("local", await(router("edge").route(call("m", false, OffloadMode.NEVER))).route());
    engine.queued = 1; // something queued will refresh it: no request is let through
    assertInstanceOf(InferenceException.Overloaded.class,
        failure(router("edge").route(call("m", false, OffloadMode.NEVER))));
  }

  @Test
  void withoutAnObjectiveABusyEdgeSendsTheRequestWherePredictedLatencyIsLowest() {
    cloud("c1", "m");
    engine.timeoutUs = 0;
    engine.queued = 20; // 210 ms here against ~42 ms there (20 ms default RTT, 2 ms service)
    Routed r = await(router("edge").route(call("m", false, OffloadMode.AUTO)));
    assertEquals("offload", r.route());
    engine.queued = 0; // 10 ms here
    assertEquals("local", await(router("edge").route(call("m", false, OffloadMode.AUTO))).route());
    assertEquals(1, remote.calls.size());
  }

  @Test
  void aCloudNodeThatJoinsAfterRequestsWereRefusedTakesTheNextOneAndLeavingEndsThat() {
    Router router = router("edge");
    engine.queued = 9;
    for (int i = 0; i < 3; i++) { // the queue is past the objective and no node to send to: 503
      assertInstanceOf(InferenceException.Overloaded.class, failure(router.route(call("m", false, OffloadMode.AUTO))));
    }
    cloud("c1", "m");
    assertEquals("offload", await(router.route(call("m", false, OffloadMode.AUTO))).route());
    cluster.remove("c1");
    assertInstanceOf(InferenceException.Overloaded.class, failure(router.route(call("m", false, OffloadMode.AUTO))));
    assertEquals(List.of("http://c1 m/1"), remote.calls);
  }

  /** One model "m" (and "big"), 10 ms per request, one worker, a 100 ms objective (0 = none when set so). */
  static final class FakeEngine implements InferenceEngine {
    int queued;
    boolean refuse;
    boolean invalid;
    long idleUs;
    double serviceUs = 10_000;
    long timeoutUs = 100_000;
    double estimateOverride = -1;
    String policy = "local-first";
    float top = 1f;
    int handles;
    int answered;
    /** Split points every model declares (none by default) and the plan its config pins. */
    List<io.coedge.inference.SplitPoint> splitPoints = List.of();
    String splitPlan = "auto";
    /** What each local answer taught the local estimator, µs. */
    final List<Double> observed = new java.util.ArrayList<>();

    @Override
    public ModelHandle handle(String model, String version) {
      handles++;
      ModelConfig c = new ModelConfig(0, 0, 64, timeoutUs, List.of(), policy, "big", 0.9, splitPoints, splitPlan);
      ModelVersion v = new ModelVersion(model, "1", ModelVersion.State.READY, null, SHA, 10, c, List.of(), List.of());
      return new ModelHandle() {
        public ModelVersion view() {
          return v;
        }

        public int validate(InferRequest request) {
          if (invalid) {
            throw InferenceException.invalid("input 'x': shape [3] does not match the model's [1, 8]");
          }
          return 1;
        }

        public ModelLoad load() {
          int q = estimateOverride >= 0 ? (int) (estimateOverride / 10_000) - 1 : queued;
          return new ModelLoad(q, 0, serviceUs, 1, 1, idleUs);
        }

        public void answered(ModelLoad admittedWith, double observedUs) {
          answered++;
          observed.add(observedUs);
        }
      };
    }

    @Override
    public Optional<Permit> acquire(ModelHandle model) {
      return refuse ? Optional.empty() : Optional.of(new Permit(model));
    }

    @Override
    public Future<InferResult> infer(Permit permit, InferRequest request, int rows, long remainingUs) {
      ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(top).putFloat(1 - top).flip();
      return Future.succeededFuture(new InferResult(request.model(), "1",
          List.of(Tensor.fixed("p", DataType.FP32, new long[] {1, 2}, b)), 0, 10_000));
    }

    @Override
    public List<io.coedge.inference.ModelStatistics.Snapshot> statistics(String model, String version) {
      return List.of();
    }

    public Future<Void> start() {
      return Future.succeededFuture();
    }

    public List<ModelVersion> models() {
      return List.of(resolve("m", "1"));
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

    @Override
    public Future<Long> probeTransfer(String baseUrl, int bytes, long timeoutMs) {
      return Future.succeededFuture(30_000L);
    }
  }

}
