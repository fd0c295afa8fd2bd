package io.coedge.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class OffloadBudgetTest {

  private final FakeClock clock = new FakeClock();

  @Test
  void atMostTheConfiguredFractionOfAMinutesRequestsIsOffloaded() {
    OffloadBudget b = new OffloadBudget(Peers.config(Map.of("offload.budget-fraction", "0.25")), clock);
    for (int i = 0; i < 8; i++) {
      b.request("m");
    }
    assertTrue(b.allows("m", 0));
    b.offloaded("m", 0);
    assertTrue(b.allows("m", 0));
    b.offloaded("m", 0);
    assertFalse(b.allows("m", 0), "2 of 8 is the quarter");
    clock.advanceMs(61_000);
    b.request("m");
    b.request("m");
    b.request("m");
    b.request("m");
    assertTrue(b.allows("m", 0), "a minute later the window has moved on");
  }

  @Test
  void moneyPerMinuteCapsTheSpend() {
    OffloadBudget b = new OffloadBudget(Peers.config(Map.of("offload.budget-money-per-minute", "1.0")), clock);
    b.offloaded("m", 0.6);
    assertTrue(b.allows("m", 0.4));
    assertFalse(b.allows("m", 0.5));
    assertEquals(0.6, b.spentLastMinute(), 1e-9);
    clock.advanceMs(61_000);
    assertTrue(b.allows("m", 0.5));
  }

  @Test
  void retriesAreLimitedToTwentyPercentOfOffloadsPlusASmallFloor() {
    OffloadBudget b = new OffloadBudget(Peers.defaults(), clock);
    for (int i = 0; i < 100; i++) {
      b.offloaded("m", 0);
    }
    int granted = 0;
    while (b.tryRetry()) {
      granted++;
    }
    assertEquals(20 + OffloadBudget.RETRY_FLOOR, granted);
  }
}
