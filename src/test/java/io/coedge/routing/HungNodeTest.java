package io.coedge.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coedge.cluster.InMemoryClusterView;
import io.coedge.cluster.NodeRecord;
import io.coedge.inference.InferRequest;
import io.coedge.inference.OffloadMode;
import io.coedge.observability.Metrics;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A cloud node that hangs, on an injected clock: P2C stops sending to it after its first unanswered call, so its
 * unanswered health probes are what eject it; and an attempt on the last node that has not just failed waits for
 * its answer with the whole deadline instead of giving up for a retry that could only go to the hung one.
 */
class HungNodeTest {

  private final FakeClock clock = new FakeClock();
  private final InMemoryClusterView cluster = new InMemoryClusterView("edge", 60_000, clock::millis);
  private final CostModel costs = new CostModel(Peers.defaults(), clock);
  private final PeerSelector selector = new PeerSelector(costs, clock, n -> 0, 30_000);
  private final RouterTest.FakeEngine engine = new RouterTest.FakeEngine();
  /** Each call's URL and how long it may wait for that node's answer, µs. */
  private final List<String> attempts = new ArrayList<>();
  private final Set<String> hung = new java.util.HashSet<>();

  private final Remote remote = new Remote() {
    @Override
    public Future<RemoteAnswer> infer(String baseUrl, String model, String version, Buffer body, String contentType,
        String jsonLength, long deadlineUs, long attemptUs, String traceparent) {
      attempts.add(baseUrl + " " + attemptUs);
      return Future.succeededFuture(new RemoteAnswer(baseUrl.substring(7), model, version,
          Buffer.buffer("answer from " + baseUrl), "application/json", null, 100, 2_000));
    }

    @Override
    public Future<Long> probe(String baseUrl, long timeoutMs) {
      return hung.contains(baseUrl) ? Future.failedFuture(new RemoteFailure(0, "no answer in " + timeoutMs + " ms"))
          : Future.succeededFuture(1_000L);
    }

    @Override
    public Future<Long> probeTransfer(String baseUrl, int bytes, long timeoutMs) {
      return Future.succeededFuture(1_000L + bytes / 100);
    }

    @Override
    public Future<RemoteAnswer> infer(String baseUrl, String model, String version, Buffer body, String contentType,
        String jsonLength, long timeoutUs) {
      throw new AssertionError("the router always passes a per-attempt timeout");
    }
  };

  private void cloud(String id) {
    cluster.put(new NodeRecord(id, "", "cloud", "lab", "http://" + id, "t", false, 1, clock.millis(),
        List.of(new NodeRecord.Model("m", "1", Peers.SHA, true, 1, 0, 0, 2_000, 1, 2_000))));
  }

  private Router router() {
    return new Router(engine, cluster, new io.coedge.config.NodeConfig("edge", "edge", "lab"), Peers.defaults(), costs,
        selector, remote, Metrics.NOOP, clock);
  }

  private Routed offload() {
    engine.queued = 9; // 100 ms here: beyond the 100 ms objective, so the cloud
    InferRequest r = new InferRequest("r1", "m", null, List.of(), List.of(), false, 0, 0, OffloadMode.AUTO);
    return router().route(new Call(r, Buffer.buffer("{\"inputs\":[]}"), "application/json", null, false))
        .toCompletionStage().toCompletableFuture().join();
  }

  @Test
  void anIdleCloudWhoseProbesGoUnansweredIsEjectedAndTheOtherIsNot() {
    cloud("c1");
    cloud("c2");
    hung.add("http://c2");
    Prober prober = new Prober(cluster, remote, costs, clock, 250, selector);
    for (int i = 0; i < PeerState.FAILURES_TO_EJECT; i++) {
      assertFalse(selector.ejected("c2"), "not before " + PeerState.FAILURES_TO_EJECT + " probes: " + i);
      clock.advanceMs(250);
      prober.probeIdle();
    }
    assertTrue(selector.ejected("c2"), "five unanswered probes in a row eject it");
    assertFalse(selector.ejected("c1"));
    clock.advanceMs(250);
    prober.probeIdle();
    assertEquals(costs.peer("c2").ejectedUntilMs(), selector.ejectedAtMs("c2") + 30_000,
        "probes unanswered while it is out neither extend nor repeat the ejection");
  }

  @Test
  void aNodeBackFromAShortHangTakesWorkAgainOnceItAnswersAProbe() {
    cloud("c1");
    cloud("c2");
    CostModel.Estimate c2 = costs.remote(cluster.nodes().stream().filter(n -> n.id().equals("c2")).findFirst()
        .orElseThrow(), "m", "1", 100);
    selector.failure("c2", true); // one call in flight when it stopped: no answer
    costs.unanswered(c2, 300_000);
    assertFalse(selector.ejected("c2"), "one unanswered call does not eject");
    clock.advanceMs(3_000); // the hang ends; nothing is sent to c2 meanwhile: c1 wins every pick
    assertEquals("c1", offload().servedBy());
    clock.advanceMs(250);
    double prior = c2.networkUs() + c2.serviceUs();
    assertTrue(costs.peer("c2").peakUs(prior, clock.nanos()) > 5 * prior, "3 s on, its penalty still rules it out");
    new Prober(cluster, remote, costs, clock, 250, selector).probeIdle(); // c2 answers its health probe
    CostModel.Estimate now = costs.remote(cluster.nodes().stream().filter(n -> n.id().equals("c2")).findFirst()
        .orElseThrow(), "m", "1", 100);
    double model = now.networkUs() + now.serviceUs();
    assertEquals(model, costs.peer("c2").peakUs(model, clock.nanos()), 1e-9, "back at the cost model's figure");
    assertFalse(costs.peer("c2").failing(clock.nanos()));
  }

  @Test
  void aProbeAsSlowAsTheUnansweredCallsLeavesTheirPenalty() {
    cloud("c2");
    CostModel.Estimate c2 = costs.remote(cluster.nodes().get(0), "m", "1", 100);
    selector.failure("c2", true);
    costs.unanswered(c2, 300_000); // waited 300 ms: the link (not the node) turned slow
    assertFalse(costs.peer("c2").answersAgain(clock.millis(), 400_000), "a 400 ms probe says the link is slow");
    assertTrue(costs.peer("c2").answersAgain(clock.millis(), 1_000), "a 1 ms probe says it answers again");
  }

  @Test
  void onTheLastNodeThatHasNotJustFailedTheAttemptGetsTheWholeDeadline() {
    cloud("c1");
    cloud("c2");
    selector.failure("c2", true); // its last two calls got no answer: it hangs, and is not ejected yet
    selector.failure("c2", true);
    assertEquals("c1", offload().servedBy());
    assertEquals(List.of("http://c1 100000"), attempts,
        "a retry could only go to c2: giving up on c1 early would turn its late answer into none");
  }

  @Test
  void withAHealthyNodeToRetryOnTheAttemptIsCutShort() {
    cloud("c1");
    cloud("c2");
    assertEquals("c1", offload().servedBy());
    assertEquals(1, attempts.size());
    long attempt = Long.parseLong(attempts.get(0).split(" ")[1]);
    assertTrue(attempt < 100_000, "4 × predicted R (or half the deadline), leaving time for c2: " + attempt);
  }
}
