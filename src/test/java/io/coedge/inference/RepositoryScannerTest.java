package io.coedge.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the scanner plans from one scan to the next: settling, no retry of unchanged failures, safe retirement. */
class RepositoryScannerTest {

  static final ModelConfig CONFIG = new ModelConfig(0, 0, 8, 0, List.of(), "local-first", "", 0.5);

  static ModelRepository.ModelDir model(String configPrint, ModelRepository.VersionDir... versions) {
    return new ModelRepository.ModelDir("m", CONFIG, VersionPolicy.DEFAULT, null, configPrint, List.of(versions));
  }

  static ModelRepository.VersionDir v(String version, String print) {
    return new ModelRepository.VersionDir(version, Path.of("m", version), print);
  }

  static List<String> loads(RepositoryScanner.Plan p) {
    return p.load().stream().map(ModelRepository.VersionDir::version).toList();
  }

  @Test
  void aVersionLoadsOnlyAfterTwoScansSawTheSameFilesAndTheOldOneRetiresOnlyThen() {
    RepositoryScanner s = new RepositoryScanner();
    RepositoryScanner.Plan first = s.plan(model("c", v("1", "a"), v("2", "x")), List.of("1"), true, false);
    assertEquals(List.of(), loads(first));
    assertEquals(List.of(), first.retire(), "nothing retires while the wanted version is not serving");
    RepositoryScanner.Plan changed = s.plan(model("c", v("1", "a"), v("2", "xy")), List.of("1"), true, false);
    assertEquals(List.of(), loads(changed));
    RepositoryScanner.Plan settled = s.plan(model("c", v("1", "a"), v("2", "xy")), List.of("1"), true, false);
    assertEquals(List.of("2"), loads(settled));
    assertEquals(List.of("1"), settled.retire());
  }

  @Test
  void aFailedVersionIsRetriedOnlyWhenItsFilesOrConfigChangeOrOnAnExplicitLoad() {
    RepositoryScanner s = new RepositoryScanner();
    ModelRepository.ModelDir m = model("c", v("1", "a"), v("2", "bad"));
    s.plan(m, List.of("1"), true, false);
    RepositoryScanner.Plan p = s.plan(m, List.of("1"), true, false);
    assertEquals(List.of("2"), loads(p));
    s.loaded(m, p.load().get(0), false);
    assertEquals(List.of(), loads(s.plan(m, List.of("1"), true, false)));
    assertEquals(List.of(), s.plan(m, List.of("1"), true, false).retire(), "the old version keeps serving");
    assertEquals(List.of("2"), loads(s.plan(m, List.of("1"), false, true)));
    ModelRepository.ModelDir fixed = model("c", v("1", "a"), v("2", "good"));
    s.plan(fixed, List.of("1"), true, false);
    assertEquals(List.of("2"), loads(s.plan(fixed, List.of("1"), true, false)));
  }

  @Test
  void aChangedConfigReloadsServingVersions() {
    RepositoryScanner s = new RepositoryScanner();
    ModelRepository.ModelDir m = model("c1", v("1", "a"));
    RepositoryScanner.Plan p = s.plan(m, List.of(), false, false);
    s.loaded(m, p.load().get(0), true);
    assertEquals(List.of(), loads(s.plan(m, List.of("1"), true, false)));
    ModelRepository.ModelDir edited = model("c2", v("1", "a"));
    s.plan(edited, List.of("1"), true, false);
    assertEquals(List.of("1"), loads(s.plan(edited, List.of("1"), true, false)));
  }
}
