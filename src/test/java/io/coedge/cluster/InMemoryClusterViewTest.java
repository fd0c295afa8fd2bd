package io.coedge.cluster;

import static io.coedge.cluster.Records.node;
import static io.coedge.cluster.Records.ready;
import static io.coedge.cluster.Records.sha;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
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
    return new LocalNode() {
      public String id() {
        return "self";
      }

      public String role() {
        return "edge";
      }

      public String site() {
        return "lab";
      }

      public String url() {
        return "http://127.0.0.1:8080";
      }

      public String build() {
        return "test";
      }

      public List<NodeRecord.Model> models() {
        return models;
      }

      public List<Artifact> artifacts() {
        return artifacts;
      }
    };
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
  void aPeerThatStopsWritingGoesStaleAndListenersHearIt() {
    view.start(local(List.of(), List.of()));
    List<ClusterEvent> events = new ArrayList<>();
    view.listen(events::add);
    view.put(node("peer", now.get(), ready("m", "1", sha('a'))));
    assertEquals(1, view.candidates("m", "1", sha('a')).size());
    now.addAndGet(2_001);
    view.refresh();
    assertTrue(view.candidates("m", "1", sha('a')).isEmpty());
    assertFalse(view.node("peer").orElseThrow().fresh());
    assertEquals(List.of(new ClusterEvent(ClusterEvent.Type.NODE_UP, "peer"),
        new ClusterEvent(ClusterEvent.Type.NODE_DOWN, "peer")), events);
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
