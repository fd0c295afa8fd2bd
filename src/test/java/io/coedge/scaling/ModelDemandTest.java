package io.coedge.scaling;

import static io.coedge.scaling.Table.cloud;
import static io.coedge.scaling.Table.entry;
import static io.coedge.scaling.Table.node;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.coedge.cluster.NodeEntry;
import io.coedge.cluster.NodeRecord;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelDemandTest {

  @Test
  void offeredLoadIsWhatCloudNodesReceivedPlusWhatEdgesShedAndEdgeArrivalsAreNotCountedTwice() {
    List<NodeEntry> table = List.of(cloud("c1", 100, 120), cloud("c2", 50, 80),
        node("e1", "edge", 10, 500, 40, 30_000, 1, 1, 0));
    ModelDemand d = ModelDemand.of(table, m -> 0, 0.7, 10).get(0);
    assertEquals(240, d.arrivalsPerS(), 1e-9, "120 + 80 received by the cloud, 40 shed by the edge");
    assertEquals(2, d.nodes());
    assertEquals(10_000, d.serviceUs(), 1e-9, "the cloud's service time, not the edge's");
    assertEquals(200, d.capacityPerNode(), 1e-9, "2 workers of 10 ms");
    assertEquals(0.6, d.utilisation(), 1e-9);
    assertEquals(Sizing.nodesFor(240, 10_000, 2, 10_000, 0, 0.7, 10), d.desired());
    assertEquals(2, d.desired());
  }

  @Test
  void serviceTimePerRequestIsABatchsTimeOverItsRowsAndTheObjectiveComesFromTheModel() {
    List<NodeEntry> table = List.of(node("c1", "cloud", 1, 100, 0, 40_000, 4, 1, 0));
    ModelDemand d = ModelDemand.of(table, m -> m.equals("m") ? 80_000 : 0, 0.7, 10).get(0);
    assertEquals(10_000, d.serviceUs(), 1e-9);
    assertEquals(40_000, d.batchUs(), 1e-9);
    assertEquals(80_000, d.objectiveUs());
    assertEquals(Sizing.nodesFor(100, 10_000, 1, 40_000, 80_000, 0.7, 10), d.desired());
  }

  @Test
  void aNodeServingTwoVersionsOfAModelCountsOnce() {
    NodeRecord.Model v1 = new NodeRecord.Model("m", "1", Table.SHA, true, 2, 0, 0, 10_000, 1, 10_000, 10, 0);
    NodeRecord.Model v2 = new NodeRecord.Model("m", "2", Table.SHA, true, 2, 0, 0, 10_000, 1, 10_000, 5, 0);
    NodeRecord r = new NodeRecord("c1", "x", "cloud", "lab", "http://127.0.0.1:1", "test", false, 1, 1_000,
        List.of(v1, v2));
    ModelDemand d = ModelDemand.of(List.of(new NodeEntry(r, 10, true)), x -> 0, 0.7, 10).get(0);
    assertEquals(1, d.nodes());
    assertEquals(10, d.arrivalsPerS(), 1e-9, "each version publishes the model's rate, any version");
  }

  @Test
  void staleRecordsAreIgnoredAndDrainingNodesServeNoNewWork() {
    NodeRecord.Model m = new NodeRecord.Model("m", "1", Table.SHA, true, 2, 0, 0, 10_000, 1, 10_000, 50, 0);
    List<NodeEntry> table = List.of(cloud("c1", 10, 100), entry("c2", "cloud", 5, true, true, m),
        entry("c3", "cloud", 5, false, false, m));
    ModelDemand d = ModelDemand.of(table, x -> 0, 0.7, 10).get(0);
    assertEquals(150, d.arrivalsPerS(), 1e-9, "the draining node's arrivals still count, the stale one's not");
    assertEquals(1, d.nodes());
  }
}
