package io.coedge.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class HybridLogicalClockTest {

  private final AtomicLong wall = new AtomicLong(1_000);
  private final HybridLogicalClock hlc = new HybridLogicalClock(wall::get, 2_000);

  @Test
  void followsTheWallClockWithACounterResetEachMillisecond() {
    assertEquals(new HybridLogicalClock.Timestamp(1_000, 0), hlc.now());
    assertEquals(new HybridLogicalClock.Timestamp(1_000, 1), hlc.now());
    wall.set(1_005);
    assertEquals(new HybridLogicalClock.Timestamp(1_005, 0), hlc.now());
  }

  @Test
  void neverGoesBackwardsWhenTheWallClockDoes() {
    HybridLogicalClock.Timestamp before = hlc.now();
    wall.set(500);
    HybridLogicalClock.Timestamp after = hlc.now();
    assertTrue(after.compareTo(before) > 0, after + " should order after " + before);
    assertEquals(1_000, after.ms());
  }

  @Test
  void ordersLocalEventsAfterAnObservedRemoteTimestampThatIsAhead() {
    HybridLogicalClock.Timestamp remote = new HybridLogicalClock.Timestamp(1_500, 7);
    assertTrue(hlc.observe(remote));
    HybridLogicalClock.Timestamp next = hlc.now();
    assertEquals(new HybridLogicalClock.Timestamp(1_500, 8), next);
  }

  @Test
  void ordersAfterARemoteTimestampWithTheSameMillisecondAndAHigherCounter() {
    hlc.now();
    hlc.now(); // 1000.1
    assertTrue(hlc.observe(new HybridLogicalClock.Timestamp(1_000, 9)));
    assertEquals(new HybridLogicalClock.Timestamp(1_000, 10), hlc.now());
  }

  @Test
  void remoteTimestampsBehindTheWallClockDoNotHoldItBack() {
    assertTrue(hlc.observe(new HybridLogicalClock.Timestamp(10, 3)));
    assertEquals(new HybridLogicalClock.Timestamp(1_000, 1), hlc.now());
  }

  @Test
  void refusesToFollowATimestampFarInTheFuture() {
    assertFalse(hlc.observe(new HybridLogicalClock.Timestamp(1_000 + 2_001, 0)));
    assertEquals(new HybridLogicalClock.Timestamp(1_000, 0), hlc.now());
  }
}
