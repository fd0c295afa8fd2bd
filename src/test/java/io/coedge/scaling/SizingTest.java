package io.coedge.scaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SizingTest {

  @Test
  void erlangCMatchesTheClosedFormsForOneAndTwoServers() {
    // M/M/1: P(wait) = rho; M/M/2: P(wait) = 2 rho^2 / (1 + rho)
    assertEquals(0.6, Sizing.erlangC(1, 0.6), 1e-12);
    double rho = 0.5;
    assertEquals(2 * rho * rho / (1 + rho), Sizing.erlangC(2, 2 * rho), 1e-12);
    assertEquals(1.0, Sizing.erlangC(3, 3.5), "saturated: everyone waits");
    assertEquals(0.0, Sizing.erlangC(3, 0));
  }

  @Test
  void responseTimeIsTheMm1SojournForOneServerAndInfiniteWhenSaturated() {
    // M/M/1, S = 10 ms, λ = 50/s: rho = 0.5, W = rho S / (1 - rho) = 10 ms; R = W + S = 20 ms
    assertEquals(20_000, Sizing.responseUs(1, 1, 50, 10_000, 10_000), 1e-6);
    assertEquals(Double.POSITIVE_INFINITY, Sizing.responseUs(1, 1, 100, 10_000, 10_000));
    assertEquals(Double.POSITIVE_INFINITY, Sizing.responseUs(0, 4, 1, 10_000, 10_000));
  }

  @Test
  void withoutAnObjectiveTheCountKeepsUtilisationUnderTheTarget() {
    // 2 workers of 10 ms per request: 200 req/s per node; 300 req/s at target 0.7 needs ceil(1.5 / 0.7) = 3 nodes
    assertEquals(3, Sizing.nodesFor(300, 10_000, 2, 10_000, 0, 0.7, 10));
    assertEquals(2, Sizing.nodesFor(300, 10_000, 2, 10_000, 0, 0.75, 10), "1.5 / 0.75 = 2 exactly");
    assertEquals(1, Sizing.nodesFor(10, 10_000, 2, 10_000, 0, 0.7, 10));
  }

  @Test
  void aTightObjectiveAsksForMoreNodesThanTheUtilisationTargetAlone() {
    int byUtilisation = Sizing.nodesFor(300, 10_000, 2, 10_000, 0, 0.7, 50);
    int byObjective = Sizing.nodesFor(300, 10_000, 2, 10_000, 10_200, 0.7, 50);
    assertTrue(byObjective > byUtilisation, byObjective + " vs " + byUtilisation);
    assertTrue(Sizing.responseUs(byObjective, 2, 300, 10_000, 10_000) <= 10_200);
    assertTrue(Sizing.responseUs(byObjective - 1, 2, 300, 10_000, 10_000) > 10_200, "the fewest that meet it");
  }

  @Test
  void noDemandOrNoMeasurementNeedsNoNodeAndAnUnreachableObjectiveAsksForTheMaximum() {
    assertEquals(0, Sizing.nodesFor(0, 10_000, 2, 10_000, 50_000, 0.7, 10));
    assertEquals(0, Sizing.nodesFor(100, 0, 2, 0, 50_000, 0.7, 10));
    assertEquals(10, Sizing.nodesFor(100, 10_000, 1, 10_000, 5_000, 0.7, 10), "a batch alone exceeds it");
    assertEquals(10, Sizing.nodesFor(100_000, 10_000, 1, 10_000, 0, 0.7, 10), "more than max would be needed");
  }
}
