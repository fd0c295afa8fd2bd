package io.coedge.cluster;

import static io.coedge.cluster.Records.draining;
import static io.coedge.cluster.Records.node;
import static io.coedge.cluster.Records.ready;
import static io.coedge.cluster.Records.sha;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ClusterTableTest {

  private final AtomicLong now = new AtomicLong(100_000);
  private final ClusterTable table = new ClusterTable(2_000, now::get, new HybridLogicalClock(now::get, 2_000));

  @Test
  void aRecordIsFreshUpToStaleAfterAndStaleBeyond() {
    table.putNode("n1", RecordCodec.encode(node("n1", now.get())));
    now.addAndGet(2_000);
    NodeEntry atLimit = table.node("n1").orElseThrow();
    assertEquals(2_000, atLimit.ageMs());
    assertTrue(atLimit.fresh());
    now.addAndGet(1);
    assertFalse(table.node("n1").orElseThrow().fresh());
    assertEquals("stale", table.node("n1").orElseThrow().state());
  }

  @Test
  void aRecordSlightlyAheadOfThisClockHasAgeZeroButOneFarAheadIsRejected() {
    assertTrue(table.putNode("n1", RecordCodec.encode(node("n1", now.get() + 500))));
    assertEquals(0, table.node("n1").orElseThrow().ageMs());
    assertFalse(table.putNode("n2", RecordCodec.encode(node("n2", now.get() + 86_400_000L))));
    assertTrue(table.node("n2").isEmpty());
    assertEquals(1, table.rejected());
  }

  @Test
  void garbageReplacingAGoodRecordRemovesIt() {
    table.putNode("n1", RecordCodec.encode(node("n1", now.get())));
    assertFalse(table.putNode("n1", "{\"format\":1,\"id\":[]}"));
    assertTrue(table.nodes().isEmpty());
  }

  @Test
  void theSameGarbageUnderTheSameKeyIsCountedOnce() {
    assertFalse(table.putNode("n1", "}{"));
    assertFalse(table.putNode("n1", "}{"));
    assertFalse(table.putNode("n1", 42));
    assertEquals(2, table.rejected());
    assertTrue(table.putNode("n1", RecordCodec.encode(node("n1", now.get()))));
  }

  @Test
  void thePeerListIsTheSameObjectUntilAnotherNodesRecordChanges() {
    table.putNode(node("self", now.get()));
    table.putNode(node("b", now.get()));
    List<NodeRecord> peers = table.peers("self");
    assertEquals(List.of("b"), peers.stream().map(NodeRecord::id).toList());
    assertSame(peers, table.peers("self"));
    table.putNode("self", RecordCodec.encode(node("self", now.get() + 250))); // its own rewrite
    assertSame(peers, table.peers("self"));
    table.putNode(node("a", now.get()));
    List<NodeRecord> added = table.peers("self");
    assertEquals(List.of("a", "b"), added.stream().map(NodeRecord::id).toList());
    table.putNode("b", RecordCodec.encode(node("b", now.get() + 250)));
    assertNotSame(added, table.peers("self"));
    assertEquals(now.get() + 250, table.peers("self").get(1).writtenAt());
    table.retain(java.util.Set.of("self", "b"), java.util.Set.of());
    assertEquals(List.of("b"), table.peers("self").stream().map(NodeRecord::id).toList());
    table.removeNode("b");
    assertTrue(table.peers("self").isEmpty());
  }

  @Test
  void candidatesAreFreshServingNodesWithTheSameBytes() {
    String a = sha('a');
    table.putNode(node("same", now.get(), ready("m", "1", a)));
    table.putNode(node("otherBytes", now.get(), ready("m", "1", sha('b'))));
    table.putNode(node("otherVersion", now.get(), ready("m", "2", a)));
    table.putNode(draining(node("draining", now.get(), ready("m", "1", a))));
    table.putNode(node("stale", now.get() - 2_001, ready("m", "1", a)));
    table.putNode(new NodeRecord("notReady", "", "edge", "", "http://h:1", "", false, 1, now.get(),
        List.of(new NodeRecord.Model("m", "1", a, false, 0, 0, 0, 0, 0, 0))));
    assertEquals(List.of("same"), table.candidates("m", "1", a, "").stream().map(NodeEntry::id).toList());
    assertEquals(6, table.nodes().size());
  }

  @Test
  void candidatesServeTheSameDataBoundToTheModelVersion() {
    String a = sha('a');
    table.putNode(node("noData", now.get(), ready("m", "1", a)));
    table.putNode(node("labelsC", now.get(), new NodeRecord.Model("m", "1", a, true, 1, 0, 0, 0, 0, 0, 0, 0, 0,
        sha('c'))));
    table.putNode(node("labelsD", now.get(), new NodeRecord.Model("m", "1", a, true, 1, 0, 0, 0, 0, 0, 0, 0, 0,
        sha('d'))));
    assertEquals(List.of("labelsC"), table.candidates("m", "1", a, sha('c')).stream().map(NodeEntry::id).toList());
    assertEquals(List.of("noData"), table.candidates("m", "1", a, "").stream().map(NodeEntry::id).toList());
  }

  @Test
  void aBadVersionEntryIsIgnoredAndTheOthersStillCount() {
    VersionRecord v = Records.version("m", "1", sha('a'), "n1", 1);
    assertTrue(table.putVersion(v.key(), RecordCodec.encode(v)));
    assertFalse(table.putVersion("model/m/2/" + sha('b'), "{\"format\":1,\"publisher\":7}"));
    assertEquals(List.of(v), table.versions().records());
    assertEquals("1", table.versions().current("model", "m").orElseThrow().artifact().version());
  }

  @Test
  void theTableStopsGrowingAtItsBound() {
    for (int i = 0; i < ClusterTable.MAX_NODES + 5; i++) {
      table.putNode("n" + i, RecordCodec.encode(node("n" + i, now.get())));
    }
    assertEquals(ClusterTable.MAX_NODES, table.nodes().size());
    assertEquals(5, table.rejected());
  }
}
