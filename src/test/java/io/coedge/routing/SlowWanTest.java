package io.coedge.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coedge.cluster.InMemoryClusterView;
import io.coedge.cluster.NodeRecord;
import io.coedge.inference.InferRequest;
import io.coedge.inference.ModelLoad;
import io.coedge.inference.OffloadMode;
import io.coedge.observability.Metrics;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A WAN that turns slow (fault b: +300 ms round trip) under requests that prefer the cloud with a 300 ms deadline, on
 * an injected clock: no cloud answers in time, yet every request is answered here within its deadline; the calls that
 * went unanswered teach the links that they are slow, so the following requests stay home; the local estimator
 * learns only the local part of a request that waited for the cloud first; answered probes bring the cloud back.
 */
class SlowWanTest {

  private static final long DEADLINE_US = 300_000;

  private final FakeClock clock = new FakeClock();
  /** The edge's own model: 10 ms here when idle. */
  private final RouterTest.FakeEngine engine = new RouterTest.FakeEngine();
  /** Each call's URL and how long it might wait for that node's answer, µs. */
  private final List<String> attempts = new ArrayList<>();
  private boolean slow = true;
  private final CostModel costs = new CostModel(Peers.defaults(), clock);
  private final InMemoryClusterView cluster = new InMemoryClusterView("edge", 60_000, clock::millis);

  /** While {@link #slow}, no call is answered: each takes all the time it may wait, then fails as a timeout does. */
  private final Remote remote = new Remote() {
    @Override
    public Future<RemoteAnswer> infer(String baseUrl, String model, String version, Buffer body, String contentType,
        String jsonLength, long deadlineUs, long attemptUs, String traceparent) {
      attempts.add(baseUrl + " " + attemptUs);
      if (slow) {
        clock.advanceMs(attemptUs / 1000);
        return Future.failedFuture(new RemoteFailure(0, "no answer in " + attemptUs / 1000 + " ms"));
      }
      clock.advanceMs(3);
      return Future.succeededFuture(new RemoteAnswer(baseUrl.substring(7), model, version,
          Buffer.buffer("answer from " + baseUrl), "application/json", null, 100, 2_000));
    }

    @Override
    public Future<Long> probe(String baseUrl, long timeoutMs) {
      return slow ? Future.failedFuture(new RemoteFailure(0, "no answer in " + timeoutMs + " ms"))
          : Future.succeededFuture(1_000L);
    }

    @Override
    public Future<RemoteAnswer> infer(String baseUrl, String model, String version, Buffer body, String contentType,
        String jsonLength, long timeoutUs) {
      return infer(baseUrl, model, version, body, contentType, jsonLength, timeoutUs, timeoutUs, null);
    }

    @Override
    public Future<Long> probeTransfer(String baseUrl, int bytes, long timeoutMs) {
      return probe(baseUrl, timeoutMs).map(us -> us + bytes / 100); // 8 Mbit/s
    }
  };

  private final PeerSelector selector = new PeerSelector(costs, clock, n -> 0, 30_000);
  private final Router router = new Router(engine, cluster, new io.coedge.config.NodeConfig("edge", "edge", "lab"),
      Peers.defaults(), costs, selector, remote, Metrics.NOOP, clock);

  SlowWanTest() {
    for (String id : List.of("c1", "c2")) {
      cluster.put(new NodeRecord(id, "", "cloud", "lab", "http://" + id, "t", false, 1, clock.millis(),
          List.of(new NodeRecord.Model("m", "1", Peers.SHA, true, 1, 0, 0, 2_000, 1, 2_000))));
    }
  }

  /** One request preferring the cloud with a 300 ms deadline; its answer, and how long it took on the clock, µs. */
  private Routed prefer(long[] tookUs) {
    long t0 = clock.nanos();
    InferRequest r = new InferRequest("r", "m", null, List.of(), List.of(), false, 0, DEADLINE_US, OffloadMode.PREFER);
    Routed out = router.route(new Call(r, Buffer.buffer("{\"inputs\":[]}"), "application/json", null, false))
        .toCompletionStage().toCompletableFuture().join();
    tookUs[0] = (clock.nanos() - t0) / 1000;
    return out;
  }

  /** {@code n} requests 50 ms apart, each answered here within its deadline; the attempts made after each. */
  private int[] answeredHere(int n) {
    long[] took = new long[1];
    int[] attemptsAfter = new int[n];
    for (int i = 0; i < n; i++) {
      Routed r = prefer(took);
      assertEquals("edge", r.servedBy(), "request " + i + " is answered here; attempts " + attempts);
      assertTrue(took[0] <= DEADLINE_US, "request " + i + " within its deadline: " + took[0] + " µs");
      attemptsAfter[i] = attempts.size();
      clock.advanceMs(50);
    }
    return attemptsAfter;
  }

  @Test
  void aRequestNoCloudAnswersIsAnsweredHereAndTeachesTheLocalEstimateOnlyItsLocalPart() {
    long[] took = new long[1];
    Routed r = prefer(took);
    assertEquals("edge", r.servedBy(), "attempts " + attempts);
    assertTrue(attempts.size() >= 1, "the cloud was tried first: " + attempts);
    assertTrue(took[0] <= DEADLINE_US, "within the deadline: " + took[0]);
    assertEquals(List.of(0.0), engine.observed,
        "the local run took no time on this clock; the " + took[0] + " µs spent on the cloud are not local latency");
  }

  @Test
  void unansweredCallsTeachTheLinksTheyAreSlowSoLaterRequestsStayHomeUntilProbesAnswerAgain() {
    long[] took = new long[1];
    int[] attemptsAfter = answeredHere(12);
    assertEquals(attemptsAfter[5], attemptsAfter[11], "from the 7th request on none goes to the cloud: " + attempts);
    assertTrue(costs.rttUs("c1") >= 200_000 && costs.rttUs("c2") >= 200_000,
        "both links learnt the slow round trip: " + costs.rttUs("c1") + ", " + costs.rttUs("c2"));

    slow = false; // the link heals: the idle clouds' probes answer in 1 ms again
    Prober prober = new Prober(cluster, remote, costs, clock, 250);
    for (int i = 0; i < LinkEstimate.WINDOW; i++) {
      clock.advanceMs(250);
      prober.probeIdle();
    }
    assertTrue(prefer(took).servedBy().startsWith("c"), "the cloud is chosen again: " + attempts);
  }

  @Test
  void aLinkThatLearntAFastRoundTripIsTakenAsSlowAsItsUnansweredCallAtOnce() {
    slow = false;
    long[] took = new long[1];
    for (int i = 0; i < 2 * LinkEstimate.WINDOW; i++) { // both links learn a fast round trip from answered calls
      assertTrue(prefer(took).servedBy().startsWith("c"), "answered by a cloud: " + attempts);
      clock.advanceMs(50);
    }
    slow = true;
    attempts.clear();
    int[] attemptsAfter = answeredHere(8);
    // The median of nine fast samples moves only after five slow ones: without the bound each cloud took four or five
    // requests (and most of their deadlines) before the edge kept them home.
    assertEquals(attemptsAfter[2], attemptsAfter[7], "from the 4th request on none goes to the cloud: " + attempts);
    assertTrue(costs.rttUs("c1") >= 100_000 && costs.rttUs("c2") >= 100_000,
        "both links are taken as slow: " + costs.rttUs("c1") + ", " + costs.rttUs("c2"));
  }

  @Test
  void onTheLastCloudAnAttemptStillLeavesTimeHereWhenTheLocalEstimateIsStale() {
    // fault d on the CI subset: every request had gone to the clouds, so the edge's own estimate was its cold first
    // run (238 ms, nothing refreshed it for seconds); with one healthy cloud left, whose HTTP port was then cut, the
    // attempt waited the whole 300 ms and the request got a 503 though this idle node answers in 10 ms.
    cluster.remove("c2");
    engine.serviceUs = 238_000;
    engine.idleUs = Router.REMEASURE_US;
    long[] took = new long[1];
    Routed r = prefer(took);
    assertEquals("edge", r.servedBy(), "answered here after the cloud did not answer; attempts " + attempts);
    assertEquals(1, attempts.size(), "the cloud was tried first: " + attempts);
    assertTrue(took[0] < DEADLINE_US, "within the deadline: " + took[0] + " µs");
  }

  @Test
  void noRetryIsSentThatCouldNotWaitForItsAnswer() {
    Remote growing = new Lan(remote) { // while the first attempt waits, answers falling back here fill the queue
      @Override
      public Future<RemoteAnswer> infer(String baseUrl, String model, String version, Buffer body,
          String contentType, String jsonLength, long deadlineUs, long attemptUs, String traceparent) {
        attempts.add(baseUrl + " " + attemptUs);
        clock.advanceMs(attemptUs / 1000);
        engine.serviceUs = 59_000; // the reserve is now 2 x 59 + 30 ms: 1 ms short of what is left
        return Future.failedFuture(new RemoteFailure(0, "no answer in " + attemptUs / 1000 + " ms"));
      }
    };
    assertEquals(1, attempts(growing).size(), "the first attempt only, no retry of 1 ms: " + attempts);
  }

  @Test
  void anAttemptLeavesTheSlackHereWhileTheLocalEstimateIsUnknown() {
    // fault d: every request had gone to the clouds, so the edge's estimate was unknown (0), and a cloud whose last
    // call went unanswered after 150 ms was rated 152 ms: the next attempt there waited all 300 ms, then a 503.
    cluster.remove("c2");
    engine.serviceUs = 0;
    CostModel.Estimate e = new CostModel.Estimate(Peers.cloud("c1", 0, 0, 2_000, 1), 22_000, 20_000, 0, 2_000, 0, 0);
    costs.unanswered(e, 152_000);
    long[] took = new long[1];
    Routed r = prefer(took);
    assertEquals("edge", r.servedBy(), "attempts " + attempts);
    assertEquals(List.of("http://c1 " + (DEADLINE_US - LocalReserve.SLACK_US)), attempts,
        "the attempt left the slack for answering here");
  }

  @Test
  void aRetryLeavesTheSlackHereEvenWhileTheLocalEstimateIsUnknown() {
    engine.serviceUs = 0; // unknown here, as on an edge whose requests all went to the cloud
    Remote late = new Lan(remote) { // the attempt's timer fires late: 268 ms gone, 32 ms left
      @Override
      public Future<RemoteAnswer> infer(String baseUrl, String model, String version, Buffer body,
          String contentType, String jsonLength, long deadlineUs, long attemptUs, String traceparent) {
        attempts.add(baseUrl + " " + attemptUs);
        engine.serviceUs = 1_000; // the first answer here meanwhile: the reserve (2 + 30 ms) no longer fits
        clock.advanceMs((attemptUs + 118_000) / 1000);
        return Future.failedFuture(new RemoteFailure(0, "no answer"));
      }
    };
    assertEquals(List.of("http://c1 150000"), attempts(late), "no 32 ms retry on c2 that would leave nothing here");
  }

  @Test
  void aRetryGoesToNoNodeThatFellSilentSinceItWasACandidate() {
    Remote silencing = new Lan(remote) { // while c1's attempt waits, c2's calls go unanswered twice
      @Override
      public Future<RemoteAnswer> infer(String baseUrl, String model, String version, Buffer body,
          String contentType, String jsonLength, long deadlineUs, long attemptUs, String traceparent) {
        attempts.add(baseUrl + " " + attemptUs);
        String other = "c2";
        CostModel.Estimate e = new CostModel.Estimate(Peers.cloud(other, 0, 0, 2_000, 1), 22_000, 20_000, 0, 2_000,
            0, 0);
        for (int i = 0; i < 2; i++) {
          selector.failure(other, true);
          costs.unanswered(e, 100_000);
        }
        clock.advanceMs(attemptUs / 1000);
        return Future.failedFuture(new RemoteFailure(0, "no answer"));
      }
    };
    assertEquals(List.of("http://c1 150000"), attempts(silencing), "no retry on c2, silent since it was a candidate");
  }

  /** The attempts one request preferring the cloud makes through {@code r} (answered here in the end). */
  private List<String> attempts(Remote r) {
    attempts.clear();
    Router router = new Router(engine, cluster, new io.coedge.config.NodeConfig("edge", "edge", "lab"),
        Peers.defaults(), costs, selector, r, Metrics.NOOP, clock);
    InferRequest req = new InferRequest("r", "m", null, List.of(), List.of(), false, 0, DEADLINE_US,
        OffloadMode.PREFER);
    Routed out = router.route(new Call(req, Buffer.buffer("{\"inputs\":[]}"), "application/json", null, false))
        .toCompletionStage().toCompletableFuture().join();
    assertEquals("edge", out.servedBy());
    return List.copyOf(attempts);
  }

  /** Delegates everything to {@code d}; tests override the calls they shape. */
  private static class Lan implements Remote {
    private final Remote d;

    Lan(Remote d) {
      this.d = d;
    }

    @Override
    public Future<RemoteAnswer> infer(String baseUrl, String model, String version, Buffer body, String contentType,
        String jsonLength, long deadlineUs, long attemptUs, String traceparent) {
      return d.infer(baseUrl, model, version, body, contentType, jsonLength, deadlineUs, attemptUs, traceparent);
    }

    @Override
    public Future<RemoteAnswer> infer(String baseUrl, String model, String version, Buffer body, String contentType,
        String jsonLength, long timeoutUs) {
      return infer(baseUrl, model, version, body, contentType, jsonLength, timeoutUs, timeoutUs, null);
    }

    @Override
    public Future<Long> probe(String baseUrl, long timeoutMs) {
      return d.probe(baseUrl, timeoutMs);
    }

    @Override
    public Future<Long> probeTransfer(String baseUrl, int bytes, long timeoutMs) {
      return d.probeTransfer(baseUrl, bytes, timeoutMs);
    }
  }

  @Test
  void aCallThatFailsFastDoesNotLowerTheLink() {
    CostModel.Estimate e = new CostModel.Estimate(Peers.cloud("c1", 0, 0, 2_000, 1), 22_000, 20_000, 0, 2_000, 0, 0);
    costs.unanswered(e, 1_000); // refused at once: says nothing about the round trip
    assertEquals(20_000, costs.rttUs("c1"), 1e-9, "the configured default stays");
    costs.unanswered(e, 152_000);
    assertEquals(150_000, costs.rttUs("c1"), 1e-9, "no answer in 152 ms, 2 ms of it the peer's work: RTT ≥ 150 ms");
  }

  @Test
  void aLocalEstimateNothingRefreshedForASecondCountsOnlyItsQueueingShape() {
    assertEquals(238_000, LocalReserve.localUs(new ModelLoad(0, 0, 500, 1, 1, 0, 238_000)), 1e-9, "fresh: as learnt");
    assertEquals(500, LocalReserve.localUs(new ModelLoad(0, 0, 500, 1, 1, Router.REMEASURE_US, 238_000)), 1e-9,
        "idle for a second: the learnt part is as stale as the rest");
  }

  @Test
  void anAttemptLeavesTwiceTheLocalEstimateAndTheTimersSlackForAnsweringHere() {
    assertEquals(110_000, LocalReserve.reserveUs(40_000, 300_000));
    assertEquals(LocalReserve.SLACK_US + 1_000, LocalReserve.reserveUs(500, 300_000), "the slack on top");
    assertEquals(0, LocalReserve.reserveUs(200_000, 300_000), "nothing when the local answer cannot fit anyway");
    assertEquals(LocalReserve.SLACK_US, LocalReserve.reserveUs(0, 300_000), "the slack while the estimate is unknown");
  }
}
