package io.coedge.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coedge.cluster.InMemoryClusterView;
import io.coedge.cluster.NodeRecord;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Whether a request could leave at all is derived once per change of the table, never per request. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ReachTest {

  private final FakeClock clock = new FakeClock();
  private final InMemoryClusterView cluster = new InMemoryClusterView("edge", 2_000, clock::millis);
  private final Reach reach = new Reach(cluster, "edge");

  private NodeRecord node(String id, String role, long seq) {
    return new NodeRecord(id, "", role, "lab", "http://" + id, "t", false, seq, clock.millis(),
        List.of(new NodeRecord.Model("m", "1", Peers.SHA, true, 1, 0, 0, 2_000, 1, 2_000)));
  }

  @Test
  void aStandaloneNodeLooksThroughTheTableOnceNotPerRequest() {
    cluster.put(node("edge", "edge", 1));
    for (int i = 0; i < 1_000; i++) {
      assertFalse(reach.any());
    }
    assertEquals(1, reach.derivations());
    cluster.put(node("edge", "edge", 2)); // this node rewrites its own record every publish interval
    clock.advanceMs(3_000);
    assertFalse(reach.any());
    assertEquals(1, reach.derivations(), "its own record is not a peer: nothing to derive again");
  }

  @Test
  void aPeerThatAppearsChangesOrLeavesIsSeenByTheNextRequest() {
    assertFalse(reach.any());
    cluster.put(node("edge-2", "edge", 1));
    assertFalse(reach.any(), "an edge never sends to another edge");
    assertEquals(2, reach.derivations());
    cluster.put(node("cloud-1", "cloud", 1));
    assertTrue(reach.any());
    assertTrue(reach.any());
    assertEquals(3, reach.derivations());
    cluster.put(node("cloud-1", "cloud", 2)); // a new record of the same peer: looked at again
    assertTrue(reach.any());
    assertEquals(4, reach.derivations());
    cluster.remove("cloud-1");
    assertFalse(reach.any());
    assertEquals(5, reach.derivations());
  }

  @Test
  void aStalePeerStillCountsSoFreshnessIsLeftToTheCandidateLookup() {
    cluster.put(node("cloud-1", "cloud", 1));
    clock.advanceMs(10_000);
    assertTrue(reach.any(), "its next write may come any moment; the per-request lookup checks its age");
  }

  @Test
  void aCloudNodeHasNoNodeAboveIt() {
    cluster.put(node("cloud-1", "cloud", 1));
    assertFalse(new Reach(cluster, "cloud").any());
    assertTrue(new Reach(cluster, "regional").any());
  }
}
