package io.coedge.scaling;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateMeterTest {

  private final AtomicLong now = new AtomicLong(1_000_000);
  private final RateMeter meter = new RateMeter(now::get);

  @Test
  void ratesAreRequestsPerSecondOverTheWindowAndForgetOldSeconds() {
    assertEquals(0, meter.perSecond("m"));
    for (int s = 0; s < 10; s++) {
      for (int i = 0; i < 20; i++) {
        meter.mark("m");
      }
      now.addAndGet(1000);
    }
    assertEquals(20, meter.perSecond("m"), 1e-9, "the last five whole seconds, 20 each");
    assertEquals(0, meter.perSecond("other"));
    now.addAndGet(RateMeter.WINDOW_MS + 1000);
    assertEquals(0, meter.perSecond("m"), "nothing in the window any more");
  }

  @Test
  void aYoungMeterDividesByItsAgeNotTheWholeWindow() {
    for (int i = 0; i < 30; i++) {
      meter.mark("m");
    }
    now.addAndGet(2000);
    assertEquals(15, meter.perSecond("m"), 1e-9);
  }
}
