package io.coedge.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.coedge.inference.ModelLoad;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CostModelTest {

  private final FakeClock clock = new FakeClock();
  private final CostModel model = new CostModel(Peers.config(Map.of("offload.default-rtt-ms", "20",
      "offload.default-bandwidth-mbps", "50", "offload.price-per-request", "0.001",
      "offload.price-per-compute-ms", "0.01", "offload.node-prices", "b=0.5:0")), clock);

  @Test
  void localEstimateIsWaitPlusServiceInTheMmkShape() {
    // 3 queued + 1 running on one worker at 10 ms each: 3 × 10 ms, the running one's half left, its own 10 ms
    assertEquals(45_000, new ModelLoad(3, 1, 10_000, 1, 1, 0).estimateUs(), 1e-6);
    // two workers, one busy: max(0, 4 − 2 + 1) · S / 2 + S (a free worker: nothing to subtract)
    assertEquals(25_000, new ModelLoad(3, 1, 10_000, 1, 2, 0).estimateUs(), 1e-6);
    assertEquals(10_000, new ModelLoad(0, 0, 10_000, 1, 1, 0).estimateUs(), 1e-6, "idle: its own service");
    // batches of 4 rows: 8 rows ahead are 2 batches
    assertEquals(30_000, new ModelLoad(8, 0, 10_000, 4, 1, 0).estimateUs(), 1e-6);
    assertEquals(0, new ModelLoad(0, 0, 0, 0, 1, 0).estimateUs(), "unknown before the first batch");
  }

  @Test
  void beforeAnythingIsLearntTheConfiguredLinkIsAssumed() {
    var e = model.remote(Peers.cloud("a", clock.millis(), 0, 2_000, 1), "m", "1", 100_000);
    // 20 ms + (100 000 + 1024 default answer) bytes at 50 Mbit/s (0.16 µs per byte) + 2 ms service
    assertEquals(20_000 + 101_024 * 0.16, e.networkUs(), 1e-6);
    assertEquals(e.networkUs() + 2_000, e.estimateUs(), 1e-6);
    assertNull(model.remote(Peers.cloud("a", clock.millis(), 0, 2_000, 1), "other", "1", 10), "lacks the model");
  }

  @Test
  void roundTripIsLearntFromSmallRequestsMinusThePeersReportedTime() {
    for (int i = 0; i < 9; i++) {
      // observed 31 ms, of which the peer says 1 ms queue + 2 ms compute: 28 ms on the wire
      model.observed("a", "m", 31_000, 1_000, 2_000, 200, 300);
    }
    var e = model.remote(Peers.cloud("a", clock.millis(), 0, 2_000, 1), "m", "1", 200);
    assertEquals(28_000, e.networkUs(), 1.0, "500 bytes at 50 Mbit/s are 80 µs of the 28 ms");
  }

  @Test
  void bandwidthIsLearntFromLargeTransfersGivenTheProbedRoundTrip() {
    for (int i = 0; i < 9; i++) {
      model.probed("a", 10_000);
      // 1 MB up + 1 KB down over a 10 ms RTT at 100 Mbit/s = 10 ms + 1 025 000 · 0.08 µs
      model.observed("a", "m", 10_000 + 1_025_000 * 0.08 + 3_000, 0, 3_000, 1_024_000, 1_000);
    }
    var e = model.remote(Peers.cloud("a", clock.millis(), 0, 3_000, 1), "m", "1", 2_048_000);
    assertEquals(10_000 + (2_048_000 + 1_000) * 0.08, e.networkUs(), 50);
  }

  @Test
  void oneSlowSampleDoesNotMoveTheEstimate() {
    for (int i = 0; i < 8; i++) {
      model.probed("a", 20_000);
    }
    model.probed("a", 700_000); // a connection set-up or a GC pause
    assertEquals(20_000, model.rttUs("a"), 1e-6);
  }

  @Test
  void peerQueueIsCorrectedByWhatThisNodeSentSinceTheRecordWasWritten() {
    long written = clock.millis();
    PeerState p = model.peer("a");
    p.sent(1, written - 5, clock.nanos()); // before the record: already in its queue figure
    p.sent(2, written + 5, clock.nanos());
    p.sent(3, written + 6, clock.nanos());
    clock.advanceMs(6);
    var e = model.remote(Peers.cloud("a", written, 4, 1_000, 1), "m", "1", 100);
    assertEquals(6, e.pending(), "4 published + 2 sent since");
    assertEquals(6 * 1_000 + 1_000, e.waitUs() + e.serviceUs(), 1e-6, "both sent within one sojourn (5 ms)");
    clock.advanceMs(10);
    assertEquals(4 * 1_000 + 1_000, model.remote(Peers.cloud("a", written, 4, 1_000, 1), "m", "1", 100).waitUs()
        + 1_000, 1e-6, "sent longer ago than a sojourn: done there before this one arrives");
    p.done(2);
    assertEquals(5, model.remote(Peers.cloud("a", written, 4, 1_000, 1), "m", "1", 100).pending());
  }

  @Test
  void priceComesFromTheConfigWithPerNodeOverrides() {
    var a = model.remote(Peers.cloud("a", clock.millis(), 0, 2_000, 1), "m", "1", 100);
    var b = model.remote(Peers.cloud("b", clock.millis(), 0, 2_000, 1), "m", "1", 100);
    assertEquals(0.001 + 0.01 * 2, a.price(), 1e-12);
    assertEquals(0.5, b.price(), 1e-12);
  }
}
