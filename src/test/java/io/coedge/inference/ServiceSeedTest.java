package io.coedge.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coedge.Eventually;
import io.coedge.config.CoedgeConfig;
import io.coedge.config.ConfigSource;
import io.coedge.config.InferenceConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A split model's whole graph, heads and tails have a measured service time before any request, taken through
 * the backend the scheduler runs (here one that costs 20 ms more per batch, as an emulated slow edge does), and
 * the measuring runs are not counted as requests; other models start unmeasured, as before.
 */
@Timeout(120)
class ServiceSeedTest {

  private static final long EXTRA_US = 20_000;
  private Path repo;
  private OnnxInferenceEngine engine;

  @AfterEach
  void close() throws Exception {
    if (engine != null) {
      Eventually.await(engine.close());
    }
    if (repo == null) {
      return;
    }
    try (var files = Files.walk(repo)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Test
  void everyPartOfASplitModelIsMeasuredBeforeTrafficThroughTheSchedulersBackend() throws Exception {
    repo = Files.createTempDirectory("coedge-seed");
    for (String m : List.of("traffic-counter-split", "traffic-counter")) {
      Path v = Files.createDirectories(repo.resolve(m).resolve("1"));
      Files.copy(Path.of("models", m, "config.yaml"), repo.resolve(m).resolve("config.yaml"));
      try (var files = Files.list(Path.of("models", m, "1"))) {
        for (Path f : files.toList()) {
          Files.copy(f, v.resolve(f.getFileName()));
        }
      }
    }
    InferenceConfig config = CoedgeConfig.from(ConfigSource.of(Map.of("inference.models-dir", repo.toString())))
        .inference();
    engine = (OnnxInferenceEngine) SlowerHardware.costCurve(EXTRA_US, 0).apply(config, Scheduler.Listener.NOOP);
    Eventually.await(engine.start());
    List<String> split = engine.models().stream().map(ModelVersion::name)
        .filter(n -> n.startsWith("traffic-counter-split")).toList();
    assertEquals(7, split.size(), "the whole model, three heads and three tails: " + split);
    for (String name : split) {
      ModelLoad l = engine.load(name, "1");
      assertTrue(l.serviceUs() >= EXTRA_US, name + " measured " + l.serviceUs() + " µs before any request");
      assertTrue(l.estimateUs() >= EXTRA_US, name + " estimate " + l.estimateUs());
      assertEquals(0, engine.statistics(name, "1").get(0).executionCount(), name + ": no request was counted");
    }
    assertEquals(0, engine.load("traffic-counter", "1").serviceUs(), "a model that is not split is measured by "
        + "its first requests");
  }

  /** A backend that records its runs under {@code name}; {@code real} (or itself) runs without the emulation. */
  private static LoadedModel backend(String name, List<String> runs, LoadedModel real, long extraNanos) {
    return new LoadedModel() {
      public String name() {
        return "m";
      }

      public String version() {
        return "1";
      }

      public ModelConfig config() {
        return new ModelConfig(0, 0, 64, 0, List.of(), "local-first", "big", 0.9);
      }

      public List<TensorSpec> inputs() {
        return List.of();
      }

      public List<TensorSpec> outputs() {
        return List.of();
      }

      public boolean batched() {
        return false;
      }

      public List<InferResult> run(List<Job> batch, WorkerScratch scratch, long startNanos) {
        runs.add(name);
        return List.of();
      }

      public LoadedModel real() {
        return real == null ? this : real;
      }

      public long emulatedNanos(long realNanos, int rows) {
        return realNanos + extraNanos;
      }
    };
  }

  @Test
  void theSeedRunsAtRealSpeedAndIsScaledAsTheEmulatedBackendCostsABatch() {
    List<String> runs = new ArrayList<>();
    long hour = 3_600_000_000_000L; // an emulation no test could wait for
    long seed = ServiceSeed.measure(backend("emulated", runs, backend("real", runs, null, 0), hour));
    assertEquals(List.of("real", "real", "real", "real"), runs, "one unmeasured run, then three, none emulated");
    assertTrue(seed >= hour, "the median is costed as the emulated backend would: " + seed);
  }
}
