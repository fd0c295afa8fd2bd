package io.coedge.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ByteBudgetTest {

  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

  @Test
  void aBurstPassesThenTheDebtIsWaitedOutAtTheRate() {
    ByteBudget b = new ByteBudget(8, nanos::get); // 1 MB/s, burst 250 000 bytes
    assertEquals(0, b.take(250_000));
    assertEquals(100_000_000L, b.take(100_000)); // 100 000 bytes of debt at 1 MB/s: 100 ms
    nanos.addAndGet(100_000_000L);
    assertEquals(0, b.take(0));
    nanos.addAndGet(50_000_000L);
    assertEquals(0, b.take(50_000));
    assertEquals(1_000_000L, b.take(1_000));
  }

  @Test
  void theBucketHoldsAtMostItsBurstAfterAnIdleSpell() {
    ByteBudget b = new ByteBudget(8, nanos::get);
    nanos.addAndGet(60_000_000_000L);
    assertEquals(0, b.take(250_000));
    assertEquals(1_000_000L, b.take(1_000));
  }

  @Test
  void zeroMeansUnlimitedAndNegativeIsRefused() {
    ByteBudget b = new ByteBudget(0, nanos::get);
    assertEquals(0, b.take(Integer.MAX_VALUE));
    assertThrows(IllegalArgumentException.class, () -> new ByteBudget(-1, nanos::get));
    assertThrows(IllegalArgumentException.class, () -> new ByteBudget(Double.NaN, nanos::get));
  }
}
