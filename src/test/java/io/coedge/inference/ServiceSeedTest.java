package io.coedge.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coedge.Eventually;
import io.coedge.config.CoedgeConfig;
import io.coedge.config.ConfigSource;
import io.coedge.config.InferenceConfig;
import java.nio.file.Files;
import java.nio.file.Path;
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
}
