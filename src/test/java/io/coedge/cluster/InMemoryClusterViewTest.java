package io.coedge.cluster;

import static io.coedge.cluster.Records.node;
import static io.coedge.cluster.Records.ready;
import static io.coedge.cluster.Records.sha;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class InMemoryClusterViewTest {

  private final AtomicLong now = new AtomicLong(50_000);
  private final InMemoryClusterView view = new InMemoryClusterView("self", 2_000, now::get);

  static LocalNode local(List<NodeRecord.Model> models, List<Artifact> artifacts) {
    return new FixedNode("self", "edge", "lab", "http://127.0.0.1:8080", "test", models, artifacts);
  }

  @Test
  void aStartedNodeSeesItselfFreshAndPublishesWhatItHolds() {
    view.start(local(List.of(ready("m", "1", sha('a'))), List.of(Artifact.model("m", "1", sha('a'), 10))));
    now.addAndGet(60_000);
    assertTrue(view.joined());
    assertEquals(List.of("self"), view.candidates("m", "1", sha('a')).stream().map(NodeEntry::id).toList());
    assertEquals("self", view.currentVersion("model", "m").orElseThrow().publisher());
  }

  @Test
  void aPeerThatStopsWritingGoesStaleWhileThisNodeStaysFresh() {
    view.start(local(List.of(), List.of()));
    view.put(node("peer", now.get(), ready("m", "1", sha('a'))));
    assertEquals(List.of("peer"), view.candidates("m", "1", sha('a')).stream().map(NodeEntry::id).toList());
    now.addAndGet(2_001);
    assertTrue(view.candidates("m", "1", sha('a')).isEmpty());
    assertFalse(view.node("peer").orElseThrow().fresh());
    assertTrue(view.node("self").orElseThrow().fresh());
  }

  @Test
  void publishingAnExistingVersionKeepsTheFirstEntry() {
    view.start(local(List.of(), List.of()));
    view.putVersion(Records.version("m", "1", sha('a'), "first", 1));
    VersionRecord kept = view.publishVersion(Artifact.model("m", "1", sha('a'), 1000)).result();
    assertEquals("first", kept.publisher());
    assertEquals(1, view.versions().size());
  }

  @Test
  void closingDrainsThenRemovesTheOwnRecord() {
    view.start(local(List.of(), List.of()));
    view.drain();
    assertEquals("draining", view.node("self").orElseThrow().state());
    view.close();
    assertTrue(view.node("self").isEmpty());
    assertFalse(view.joined());
  }
}
