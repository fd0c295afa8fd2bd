package io.coedge.inference;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides, scan after scan, which versions of a model to load and which to retire (pure bookkeeping, no I/O):
 * <ul>
 *   <li>a version loads only once two consecutive scans saw the same files (names, sizes, times), so a folder still
 *       being copied is skipped until it settles; publishing by rename into the repository settles at once;</li>
 *   <li>a version that failed is not retried until its files or the model's config.yaml change;</li>
 *   <li>a changed config.yaml reloads the serving versions (load the new, then swap);</li>
 *   <li>versions outside the policy retire only while every wanted version serves, so a failed load keeps the old
 *       version serving.</li>
 * </ul>
 * Not thread-safe: the lifecycle calls it from its one control thread.
 */
final class RepositoryScanner {

  /** What to do for one model after a scan. */
  record Plan(List<ModelRepository.VersionDir> load, List<String> retire) {
  }

  private final Map<String, String> seen = new HashMap<>();
  private final Map<String, String> failed = new HashMap<>();
  private final Map<String, String> loadedConfig = new HashMap<>();

  /**
   * @param serving   versions of the model that serve now
   * @param settle    true to load only settled folders (poll); false loads what is there (start, explicit load)
   * @param force     reload the wanted versions even if they serve and did not change (explicit load)
   */
  Plan plan(ModelRepository.ModelDir m, List<String> serving, boolean settle, boolean force) {
    Map<Long, ModelRepository.VersionDir> byNumber = new HashMap<>();
    m.versions().forEach(v -> byNumber.put(v.number(), v));
    List<Long> wanted = m.policy().select(byNumber.keySet());
    boolean configChanged = !m.configPrint().equals(loadedConfig.getOrDefault(m.name(), m.configPrint()));
    List<ModelRepository.VersionDir> load = new ArrayList<>();
    boolean waiting = false;
    for (long n : wanted) {
      ModelRepository.VersionDir v = byNumber.get(n);
      String key = VersionRegistry.key(m.name(), v.version());
      String print = m.configPrint() + "|" + v.fingerprint();
      String before = seen.put(key, print);
      boolean settled = !settle || print.equals(before);
      boolean isServing = serving.contains(v.version());
      if (isServing && !force && !configChanged) {
        continue;
      }
      if (!settled || (!force && print.equals(failed.get(key)))) {
        waiting |= !isServing;
        continue;
      }
      load.add(v);
    }
    List<String> retire = new ArrayList<>();
    if (!waiting) {
      for (String v : serving) {
        if (!wanted.contains(Long.parseLong(v))) {
          retire.add(v);
        }
      }
    }
    return new Plan(load, retire);
  }

  /** Remembers how a load ended, so that a failure is not retried on unchanged files. */
  void loaded(ModelRepository.ModelDir m, ModelRepository.VersionDir v, boolean ok) {
    String key = VersionRegistry.key(m.name(), v.version());
    if (ok) {
      failed.remove(key);
      loadedConfig.put(m.name(), m.configPrint());
    } else {
      failed.put(key, m.configPrint() + "|" + v.fingerprint());
    }
  }

  /** Forgets a model whose folder is gone. */
  void forget(String name) {
    loadedConfig.remove(name);
    seen.keySet().removeIf(k -> k.startsWith(name + "/"));
    failed.keySet().removeIf(k -> k.startsWith(name + "/"));
  }
}
