package io.coedge.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Counting GC pauses inside a window of the JVM's uptime, from real {@code -Xlog:gc} lines of Serial and G1. */
class GcPausesTest {

  /** Start-up (class loading: the long pauses), then a measured window from 40 s to 100 s. */
  private static final List<String> LOG = List.of(
      "[0.006s][info][gc] Using Serial",
      "[2.101s][info][gc] GC(0) Pause Young (Allocation Failure) 17M->6M(61M) 115.212ms",
      "[3.517s][info][gc] GC(1) Pause Full (Metadata GC Threshold) 30M->12M(61M) 90.004ms",
      "[39.995s][info][gc] GC(2) Pause Young (Allocation Failure) 40M->9M(61M) 7.500ms",
      "[55.250s][info][gc] GC(3) Pause Young (Allocation Failure) 40M->9M(61M) 2.125ms",
      "[71.000s][info][gc] GC(4) Pause Young (Normal) (G1 Evacuation Pause) 24M->3M(256M) 6.100ms",
      "[71.400s][info][gc] GC(5) Concurrent Mark Cycle 12.345ms",
      "[99.000s][info][gc] GC(6) Pause Remark 20M->20M(256M) 1.000ms",
      "[100.004s][info][gc] GC(7) Pause Young (Allocation Failure) 40M->9M(61M) 5.000ms",
      "[120.000s][info][gc] GC(8) Pause Young (Allocation Failure) 40M->9M(61M) 20.000ms");

  @Test
  void readsEveryPauseLineAndSkipsConcurrentPhasesAndOtherLines() {
    List<GcPauses.Pause> pauses = GcPauses.parse(LOG);
    assertEquals(8, pauses.size());
    assertEquals(new GcPauses.Pause(2.101, 115.212), pauses.get(0));
    assertEquals(new GcPauses.Pause(71.0, 6.1), pauses.get(4));
    assertEquals(new GcPauses.Pause(99.0, 1.0), pauses.get(5));
  }

  @Test
  void countsOnlyPausesThatOverlapTheWindowButKeepsTheLongestSinceStartAsContext() {
    GcPauses.Summary s = GcPauses.summarise(GcPauses.parse(LOG), 40.0, 100.0);
    // 39.995 s (7.5 ms) ended before the window; the one logged at 100.004 s (5 ms) began inside it.
    assertEquals(4, s.inWindow());
    assertEquals(6.1, s.longestInWindowMs());
    assertEquals(8, s.total());
    assertEquals(115.212, s.longestTotalMs());
    assertEquals(2.101, s.longestTotalAtS());
  }

  @Test
  void aPauseRunningAcrossTheWindowsStartCounts() {
    GcPauses.Summary s = GcPauses.summarise(GcPauses.parse(LOG), 39.990, 39.991);
    assertEquals(1, s.inWindow());
    assertEquals(7.5, s.longestInWindowMs());
  }

  @Test
  void aQuietWindowHasNoPauseAndABadWindowIsRefused() {
    GcPauses.Summary s = GcPauses.summarise(GcPauses.parse(LOG), 4.0, 39.0);
    assertEquals(0, s.inWindow());
    assertEquals(0.0, s.longestInWindowMs());
    assertThrows(IllegalArgumentException.class, () -> GcPauses.summarise(List.of(), 10, 5));
    assertThrows(IllegalArgumentException.class, () -> GcPauses.summarise(List.of(), Double.NaN, 5));
  }
}
