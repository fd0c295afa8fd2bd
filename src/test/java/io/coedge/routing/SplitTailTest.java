package io.coedge.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coedge.cluster.InMemoryClusterView;
import io.coedge.cluster.NodeRecord;
import io.coedge.config.NodeConfig;
import io.coedge.inference.DataType;
import io.coedge.inference.InferRequest;
import io.coedge.inference.OffloadMode;
import io.coedge.inference.SplitPoint;
import io.coedge.observability.Metrics;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A split plan's tail call is a hop like an offload: it is marked as one more hop than the request made, the
 * tail node is told what is left once the intermediate tensor's one-way transfer is spent, and the edge waits for
 * it a bounded attempt (not the plain whole-deadline call, which waited 10 s for a tail that never answered).
 */
class SplitTailTest {

  private final FakeClock clock = new FakeClock();
  private final InMemoryClusterView cluster = new InMemoryClusterView("edge", 60_000, clock::millis);
  private final CostModel costs = new CostModel(Peers.defaults(), clock);
  private final PeerSelector selector = new PeerSelector(costs, clock, n -> 0, 30_000);
  private final RouterTest.FakeEngine engine = new RouterTest.FakeEngine();
  /** Per tail call: hops, deadline, attempt, told, the one-way transfer of its body predicted then. */
  private final List<long[]> calls = new ArrayList<>();

  private final Remote remote = new Remote() {
    @Override
    public Future<RemoteAnswer> infer(String baseUrl, String model, String version, Buffer body, String contentType,
        String jsonLength, long deadlineUs, long attemptUs, String traceparent, int hops, long toldUs) {
      calls.add(new long[] {hops, deadlineUs, attemptUs, toldUs, Math.round(costs.oneWayUs("c1", body.length()))});
      Buffer header = new JsonObject().put("outputs", new JsonArray().add(new JsonObject().put("name", "counts")
          .put("datatype", "FP32").put("shape", new JsonArray().add(1).add(1))
          .put("parameters", new JsonObject().put("binary_data_size", 4)))).toBuffer();
      return Future.succeededFuture(new RemoteAnswer("c1", model, version, header.copy().appendFloatLE(3f),
          "application/octet-stream", Integer.toString(header.length()), 100, 2_000));
    }

    @Override
    public Future<Long> probeTransfer(String baseUrl, int bytes, long timeoutMs) {
      return Future.succeededFuture(1_000L + bytes / 100);
    }

    @Override
    public Future<Long> probe(String baseUrl, long timeoutMs) {
      return Future.succeededFuture(1_000L);
    }

    @Override
    public Future<RemoteAnswer> infer(String baseUrl, String model, String version, Buffer body, String contentType,
        String jsonLength, long timeoutUs) {
      throw new AssertionError("a tail call is a hop: count, told deadline and attempt, not a plain call");
    }
  };

  @Test
  void theTailCallCountsAHopAndTellsTheTailNodeTheDeadlineLessTheTensorsTransfer() {
    engine.splitPoints = List.of(new SplitPoint("b1", "p", List.of(2L), DataType.FP32, 1e-5));
    engine.splitPlan = "split@b1";
    cluster.put(new NodeRecord("c1", "", "cloud", "lab", "http://c1", "t", false, 1, clock.millis(), List.of(
        new NodeRecord.Model("m", "1", Peers.SHA, true, 1, 0, 0, 2_000, 1, 2_000),
        new NodeRecord.Model("m.split-b1.tail", "1", Peers.SHA, true, 1, 0, 0, 2_000, 1, 2_000))));
    Router router = new Router(engine, cluster, new NodeConfig("edge", "edge", "lab"), Peers.defaults(), costs,
        selector, remote, Metrics.NOOP, clock);
    engine.queued = 9; // 100 ms here: beyond the 100 ms objective, so a plan that leaves this node
    InferRequest r = new InferRequest("r1", "m", null, List.of(), List.of(), false, 0, 0, OffloadMode.AUTO);
    Routed out = router.route(new Call(r, Buffer.buffer("{\"inputs\":[]}"), "application/json", null, false))
        .toCompletionStage().toCompletableFuture().join();

    assertEquals("split@b1", out.route());
    assertEquals("c1", out.servedBy());
    assertEquals(3f, out.result().outputs().get(0).data().getFloat(0));
    assertEquals(1, calls.size());
    long[] c = calls.get(0);
    assertEquals(1, c[0], "the tail call is the request's first hop");
    assertEquals(100_000, c[1], "the request's whole deadline (no time passed on the injected clock)");
    assertEquals(c[1] - c[4], c[3],
        "told what is left once the intermediate tensor's one-way transfer is spent");
    assertTrue(c[3] < c[1], "the transfer takes time: " + c[3]);
    assertTrue(c[2] >= Offloader.MIN_ATTEMPT_US && c[2] < c[1], "the attempt is cut short (a multiple of the "
        + "tail's predicted R), leaving time to finish here: " + c[2]);
  }
}
