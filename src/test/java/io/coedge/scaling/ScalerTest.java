package io.coedge.scaling;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.coedge.config.ScaleConfig;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ScalerTest {

  private final AtomicLong now = new AtomicLong(5_000_000);

  private static ScaleConfig config(long stabilisationS, int min, int max, double nodePrice) {
    return new ScaleConfig("none", List.of(), 60, 0.7, stabilisationS, min, max, nodePrice, 1000);
  }

  /** A demand that {@link Sizing} sizes at {@code desired} nodes with {@code nodes} serving now. */
  private static List<ModelDemand> needs(int desired, int nodes) {
    return List.of(new ModelDemand("m", desired * 100.0, 10_000, 10_000, 2, nodes, 0, desired));
  }

  private Scaler.Decision at(Scaler s, long ms, int desired, int current) {
    now.set(5_000_000 + ms);
    return s.decide(needs(desired, current), current);
  }

  @Test
  void aClearDeficitIsActedOnInTheFirstEvaluation() {
    Scaler s = new Scaler(config(300, 1, 10, 0), 0, now::get);
    Scaler.Decision d = at(s, 0, 4, 1);
    assertEquals(4, d.desired());
    assertEquals("scale-out", d.reason());
    assertEquals(6, at(s, 1000, 6, 2).desired(), "more while the first ones start");
  }

  @Test
  void scaleInTakesTheHighestRecommendationOfTheWholeWindow() {
    Scaler s = new Scaler(config(60, 1, 10, 0), 0, now::get);
    assertEquals(4, at(s, 0, 4, 1).desired());
    assertEquals(4, at(s, 5_000, 4, 4).desired());
    Scaler.Decision low = at(s, 20_000, 1, 4);
    assertEquals(4, low.desired(), "a dip is not acted on");
    assertEquals("stabilising", low.reason());
    assertEquals(4, at(s, 40_000, 2, 4).desired());
    assertEquals(4, at(s, 59_999, 1, 4).desired(), "4 (at 0 s) is still in the window");
    Scaler.Decision in = at(s, 70_000, 1, 4);
    assertEquals("scale-in", in.reason());
    assertEquals(2, in.desired(), "the highest recommendation of the last 60 s (at 40 s) was 2");
    assertEquals(2, at(s, 99_000, 1, 2).desired(), "2 (at 40 s) is still in the window");
    assertEquals(1, at(s, 131_000, 1, 2).desired());
  }

  @Test
  void aRiseDuringTheWindowCancelsTheScaleIn() {
    Scaler s = new Scaler(config(60, 1, 10, 0), 0, now::get);
    at(s, 0, 3, 1);
    at(s, 30_000, 1, 3);
    at(s, 50_000, 3, 3);
    Scaler.Decision d = at(s, 70_000, 1, 3);
    assertEquals(3, d.desired(), "3 was recommended 20 s ago");
  }

  @Test
  void minAndMaxBoundTheCount() {
    Scaler s = new Scaler(config(0, 2, 5, 0), 0, now::get);
    assertEquals(5, at(s, 0, 9, 2).desired());
    assertEquals(2, at(s, 1000, 0, 5).desired(), "no window: straight to the highest recent, at least min");
  }

  @Test
  void paidOffloadingIsPreferredWhileItIsCheaperThanTheNodesForTheExpectedDuration() {
    // excess: 300 req/s asked, 1 node serves 200 × 0.7 = 140; offloading 160 req/s × 0.0001 costs 0.016 a second.
    // Two more nodes at 10 an hour, each living at least the 300 s window: 2 × 10 × 300 / 3600 = 1.667.
    Scaler s = new Scaler(config(300, 1, 10, 10), 0.0001, now::get);
    Scaler.Decision first = at(s, 0, 3, 1);
    assertEquals(1, first.desired());
    assertEquals("offload-cheaper", first.reason());
    assertEquals(1, at(s, 30_000, 3, 1).desired(), "30 s more of offloading: 0.48 < 1.667");
    // a deficit that lasted t is expected to last as long again: 0.016 × 104 = 1.664 < 1.667 < 0.016 × 105
    assertEquals(1, at(s, 104_000, 3, 1).desired());
    Scaler.Decision out = at(s, 105_000, 3, 1);
    assertEquals(3, out.desired());
    assertEquals("scale-out", out.reason());
  }

  @Test
  void aModelWithDemandButNoMeasuredServiceTimeHoldsTheCurrentCount() {
    assertEquals(3, Scaler.recommend(List.of(new ModelDemand("new", 50, 0, 0, 1, 3, 0, 0))));
    assertEquals(0, Scaler.recommend(List.of(new ModelDemand("idle", 0, 0, 0, 1, 3, 0, 0))));
  }
}
