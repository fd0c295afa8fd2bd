package io.coedge.cluster;

import static io.coedge.cluster.Records.sha;
import static io.coedge.cluster.Records.version;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class VersionSetTest {

  @Test
  void currentIsTheHighestVersionComparedAsNumbers() {
    VersionSet set = VersionSet.of(List.of(version("m", "9", sha('a'), "n1", 1), version("m", "10", sha('b'), "n1", 2),
        version("m", "2", sha('c'), "n2", 3)));
    assertEquals("10", set.current("model", "m").orElseThrow().artifact().version());
  }

  @Test
  void aConflictingVersionIsReportedAndNeverCurrent() {
    VersionSet set = VersionSet.of(List.of(version("m", "1", sha('a'), "n1", 1), version("m", "2", sha('b'), "n1", 2),
        version("m", "2", sha('c'), "n2", 2)));
    assertEquals("1", set.current("model", "m").orElseThrow().artifact().version());
    assertEquals(1, set.conflicts().size());
    VersionSet.Conflict c = set.conflicts().get(0);
    assertEquals("2", c.version());
    assertEquals(List.of(sha('b'), sha('c')), c.entries().stream().map(r -> r.artifact().sha256()).toList());
  }

  @Test
  void thereIsNoCurrentVersionWhenEveryVersionConflicts() {
    VersionSet set = VersionSet.of(List.of(version("m", "1", sha('a'), "n1", 1), version("m", "1", sha('b'), "n2", 1)));
    assertTrue(set.current("model", "m").isEmpty());
    assertTrue(set.current("model", "unknown").isEmpty());
  }

  @Test
  void everythingDerivedIsTheSameWhateverOrderTheEntriesArrivedIn() {
    List<VersionRecord> all = new ArrayList<>(List.of(version("m", "1", sha('a'), "n1", 5),
        version("m", "3", sha('b'), "n2", 1), version("m", "3", sha('c'), "n3", 9), version("m", "2", sha('d'), "n1", 2),
        version("x", "7", sha('e'), "n2", 3), new VersionRecord(new Artifact("data", "m", "2024-05-01", sha('f'), 1,
            null), "n1", new HybridLogicalClock.Timestamp(4, 0))));
    VersionSet reference = VersionSet.of(all);
    Random random = new Random(42);
    for (int i = 0; i < 50; i++) {
      Collections.shuffle(all, random);
      VersionSet shuffled = VersionSet.of(all);
      assertEquals(reference.records(), shuffled.records());
      assertEquals(reference.conflicts(), shuffled.conflicts());
      assertEquals(reference.current("model", "m"), shuffled.current("model", "m"));
    }
    assertEquals("2", reference.current("model", "m").orElseThrow().artifact().version());
    assertEquals("2024-05-01", reference.current("data", "m").orElseThrow().artifact().version());
  }

  @Test
  void decimalVersionsSortBeforeOtherNamesAndTheOrderIsTotal() {
    List<String> versions = new ArrayList<>(List.of("beta", "10", "2", "alpha", "02", "1"));
    versions.sort(VersionSet.VERSION_ORDER);
    assertEquals(List.of("1", "02", "2", "10", "alpha", "beta"), versions);
  }
}
