package io.coedge.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The best any HTTP server can do on a machine, from the in-process best and a zero-compute server's rate. */
class CeilingTest {

  private static final double EPS = 1e-9;

  @Test
  void computeAndHttpPerRequestAreCoresOverTheMeasuredRates() {
    Ceiling c = Ceiling.of(2, 40_000, 20_000);
    assertEquals(50.0, c.computeUs(), EPS);
    assertEquals(100.0, c.httpUs(), EPS);
    assertEquals(2e6 / 150, c.maxRps(), EPS);
    assertEquals(50.0 / 150, c.ratio(), EPS);
  }

  @Test
  void whenComputeEqualsHttpTheCeilingIsHalfTheInProcessBest() {
    Ceiling c = Ceiling.of(2, 10_000, 10_000);
    assertEquals(0.5, c.ratio(), EPS);
    assertEquals(5_000, c.maxRps(), EPS);
    assertEquals(0.8, c.fractionOf(4_000), EPS);
  }

  @Test
  void theRatioDoesNotDependOnTheCoreCountAndNeverReachesOne() {
    Ceiling two = Ceiling.of(2, 38_592, 25_000);
    Ceiling four = Ceiling.of(4, 38_592, 25_000);
    assertEquals(two.ratio(), four.ratio(), EPS);
    assertEquals(25_000 / (25_000 + 38_592.0), two.ratio(), EPS);
    assertTrue(Ceiling.of(2, 1_000, 1e9).ratio() < 1);
    // A model whose compute is negligible (the tiny MLP): the ceiling is the zero-compute server itself.
    assertEquals(20_000, Ceiling.of(2, 5.7e9, 20_000).maxRps(), 1);
  }

  @Test
  void missingOrZeroRatesAreRefusedWithTheirValues() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Ceiling.of(2, 0, 20_000));
    assertTrue(e.getMessage().contains("--best 0.0"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Ceiling.of(2, 40_000, Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> Ceiling.of(0, 40_000, 20_000));
  }
}
