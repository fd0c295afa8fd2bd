package io.coedge.scaling;

import static io.coedge.scaling.Table.node;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.coedge.cluster.NodeEntry;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ScaleInTest {

  @Test
  void theNewestCloudNodeLeavesThenTheLeastLoadedAndNeverTheLeaderNorAnEdge() {
    List<NodeEntry> table = List.of(node("leader", "cloud", 1, 0, 0, 10_000, 1, 2, 0),
        node("old", "cloud", 900, 0, 0, 10_000, 1, 2, 0),
        node("new-busy", "cloud", 40, 0, 0, 10_000, 1, 2, 7),
        node("new-idle", "cloud", 40, 0, 0, 10_000, 1, 2, 0),
        node("edge", "edge", 2, 0, 0, 10_000, 1, 2, 0));
    assertEquals("new-idle", ScaleIn.choose(table, "leader").map(NodeEntry::id).orElseThrow());
    assertEquals("leader", ScaleIn.choose(table.subList(0, 1), "other").map(NodeEntry::id).orElseThrow());
    assertEquals(Optional.empty(), ScaleIn.choose(table.subList(0, 1), "leader"));
  }
}
