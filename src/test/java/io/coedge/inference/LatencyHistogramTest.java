package io.coedge.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class LatencyHistogramTest {

  @Test
  void theP99IsTheBucketBoundAboveTheTrueValueWithinNineteenPercent() {
    LatencyHistogram h = new LatencyHistogram();
    for (int i = 1; i <= 1000; i++) {
      h.record(i * 1_000_000L); // 1 ms .. 1 s, uniform
    }
    double p99 = h.quantileUs(0.99);
    assertTrue(p99 >= 990_000 && p99 <= 990_000 * 1.19, "p99 " + p99 + " µs for a true 990 ms");
    double p50 = h.quantileUs(0.5);
    assertTrue(p50 >= 500_000 && p50 <= 500_000 * 1.19, "p50 " + p50 + " µs for a true 500 ms");
  }

  @Test
  void aFewSlowRequestsAmongManyFastOnesMoveTheP99OnlyPastOnePercent() {
    LatencyHistogram h = new LatencyHistogram();
    for (int i = 0; i < 990; i++) {
      h.record(2_000_000L);
    }
    for (int i = 0; i < 10; i++) {
      h.record(800_000_000L);
    }
    assertTrue(h.quantileUs(0.99) < 2_400, "the 990th of 1000 is still fast: " + h.quantileUs(0.99));
    h.record(800_000_000L);
    assertTrue(h.quantileUs(0.99) > 800_000, "the 11th slow one is past 1 %: " + h.quantileUs(0.99));
  }

  @Test
  void emptyIsZeroAndOutOfRangeValuesLandInTheEndBuckets() {
    LatencyHistogram h = new LatencyHistogram();
    assertEquals(0, h.quantileUs(0.99));
    h.record(0);
    h.record(Long.MAX_VALUE);
    assertEquals(LatencyHistogram.upperUs(0), h.quantileUs(0.5));
    assertEquals(LatencyHistogram.upperUs(LatencyHistogram.BUCKETS - 1), h.quantileUs(1.0));
  }
}
