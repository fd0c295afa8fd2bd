package io.coedge.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coedge.cluster.InMemoryClusterView;
import io.coedge.cluster.NodeRecord;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Idle links are measured for round trip and bandwidth before anything is sent, and re-measured when idle. */
class ProberTest {

  private static final long INTERVAL_MS = 250;
  private final FakeClock clock = new FakeClock();
  private final InMemoryClusterView cluster = new InMemoryClusterView("edge", 60_000, clock::millis);
  private final CostModel costs = new CostModel(Peers.defaults(), clock);
  private final List<String> probes = new ArrayList<>();

  /** A link of 1 ms round trip moving 1 byte per 0.008 µs (1 Gbit/s), the peer answering at once. */
  private class Lan implements Remote {
    @Override
    public Future<RemoteAnswer> infer(String baseUrl, String model, String version, Buffer body, String contentType,
        String jsonLength, long timeoutUs) {
      throw new AssertionError("a probe sends no inference");
    }

    @Override
    public Future<Long> probe(String baseUrl, long timeoutMs) {
      probes.add("rtt " + baseUrl);
      return Future.succeededFuture(1_000L);
    }

    @Override
    public Future<Long> probeTransfer(String baseUrl, int bytes, long timeoutMs) {
      probes.add("bandwidth " + baseUrl + " " + bytes);
      return Future.succeededFuture(1_000L + Math.round(bytes * 0.008));
    }
  }

  private final Remote lan = new Lan();
  private final Prober prober = new Prober(cluster, lan, costs, clock, INTERVAL_MS);

  private void cloud(String id) {
    node(id, "cloud");
  }

  private void node(String id, String role) {
    cluster.put(new NodeRecord(id, "", role, "lab", "http://" + id, "t", false, 1, clock.millis(),
        List.of(new NodeRecord.Model("m", "1", Peers.SHA, true, 1, 0, 0, 2_000, 1, 2_000))));
  }

  @Test
  void eachNodeProbesItsOwnLinksToTheTiersAboveIt() {
    node("e2", "edge");
    node("r1", "regional");
    cloud("c1");
    clock.advanceMs(INTERVAL_MS);
    prober.probeIdle(); // an edge: the regional and the cloud, never another edge
    assertEquals(List.of("http://c1", "http://r1"), probed());
    probes.clear();
    new Prober(cluster, lan, costs, clock, INTERVAL_MS, "regional").probeIdle(); // a regional: the cloud alone
    assertEquals(List.of("http://c1"), probed());
    probes.clear();
    new Prober(cluster, lan, costs, clock, INTERVAL_MS, "cloud").probeIdle();
    assertEquals(List.of(), probes, "nothing above the cloud");
  }

  private List<String> probed() {
    return probes.stream().filter(p -> p.startsWith("rtt ")).map(p -> p.substring(4)).sorted().toList();
  }

  @Test
  void aNeverUsedLinkIsMeasuredForRoundTripAndBandwidthSoTheFirstChoiceIsInformed() {
    cloud("c1");
    double assumed = costs.peer("c1").networkUs(560_000, 1_024);
    clock.advanceMs(INTERVAL_MS);
    prober.probeIdle();
    assertEquals(List.of("rtt http://c1", "bandwidth http://c1 " + Prober.PROBE_BYTES), probes);
    double learnt = costs.peer("c1").networkUs(560_000, 1_024);
    // 1 ms + 561 024 bytes at 0.008 µs each: ~5.5 ms, where the configured default (20 ms, 50 Mbit/s) says ~110 ms
    assertEquals(1_000 + 561_024 * 0.008, learnt, 50);
    assertTrue(assumed > 10 * learnt, "assumed " + assumed + " µs, learnt " + learnt + " µs");
  }

  @Test
  void bandwidthIsReMeasuredOnlyWhenNoLargeTransferRefreshedItForTenIntervals() {
    cloud("c1");
    clock.advanceMs(INTERVAL_MS);
    prober.probeIdle();
    probes.clear();
    clock.advanceMs(INTERVAL_MS);
    prober.probeIdle();
    assertEquals(List.of("rtt http://c1"), probes, "round trip every idle interval, bandwidth not yet");
    probes.clear();
    clock.advanceMs(Prober.BANDWIDTH_EVERY * INTERVAL_MS);
    prober.probeIdle();
    assertEquals(List.of("rtt http://c1", "bandwidth http://c1 " + Prober.PROBE_BYTES), probes);
  }

  @Test
  void aProbeWaitsASecondHoweverShortTheIntervalAndAnUnansweredOneIsNotRepeated() {
    List<Long> timeouts = new ArrayList<>();
    List<Promise<Long>> pending = new ArrayList<>();
    Remote slow = answeredWhenTold(pending, timeouts);
    PeerSelector selector = new PeerSelector(costs, clock, n -> 0, 30_000);
    Prober fast = new Prober(cluster, slow, costs, clock, 100, selector);
    cloud("c1");
    for (int i = 0; i < 3 * PeerState.FAILURES_TO_EJECT; i++) {
      clock.advanceMs(100);
      fast.probeIdle();
    }
    assertEquals(List.of(Prober.MIN_TIMEOUT_MS), timeouts, "one probe, given a second, not one per 100 ms interval");
    assertTrue(!selector.ejected("c1"), "a probe still under way is no failure");
    pending.get(0).complete(180_000L); // answered after 180 ms: late on a busy box, but answered
    clock.advanceMs(100);
    fast.probeIdle();
    assertEquals(2, timeouts.size(), "probed again once the last probe was answered");
  }

  @Test
  void aNodeWhoseCallsWentUnansweredIsProbedEveryIntervalAndEjectedWithinASecondAndFiveIntervals() {
    List<Promise<Long>> pending = new ArrayList<>();
    Remote hung = answeredWhenTold(pending, new ArrayList<>()); // the test fails them, as their timeouts would
    PeerSelector selector = new PeerSelector(costs, clock, n -> 0, 30_000);
    Prober prober = new Prober(cluster, hung, costs, clock, 250, selector);
    cloud("c1");
    selector.failure("c1", true); // two calls in flight when it hung, both unanswered: failing
    selector.failure("c1", true);
    pending.clear();
    for (int i = 0; i < 2 * PeerState.FAILURES_TO_EJECT; i++) {
      clock.advanceMs(250);
      prober.probeIdle();
    }
    assertEquals(PeerState.FAILURES_TO_EJECT, pending.size(), "a probe each interval, at most five under way");
    assertTrue(!selector.ejected("c1"), "probes under way are no failures");
    pending.forEach(p -> p.tryFail("timed out"));
    assertTrue(selector.ejected("c1"), "its unanswered probes eject it");
  }

  /** A link whose health probes are answered (or failed) when the test says: each one's promise, and its timeout. */
  private Remote answeredWhenTold(List<Promise<Long>> pending, List<Long> timeouts) {
    return new Lan() {
      @Override
      public Future<Long> probe(String baseUrl, long timeoutMs) {
        timeouts.add(timeoutMs);
        Promise<Long> p = Promise.promise();
        pending.add(p);
        return p.future();
      }
    };
  }

  @Test
  void aLinkInUseIsNotProbed() {
    cloud("c1");
    clock.advanceMs(INTERVAL_MS);
    costs.peer("c1").sent(1, clock.millis(), clock.nanos());
    prober.probeIdle();
    assertTrue(probes.isEmpty(), "traffic keeps it measured: " + probes);
  }
}
