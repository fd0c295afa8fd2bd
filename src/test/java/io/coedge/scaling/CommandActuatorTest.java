package io.coedge.scaling;

import static io.coedge.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coedge.observability.MicrometerMetrics;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CommandActuatorTest {

  @TempDir
  Path dir;
  private final Vertx vertx = Vertx.vertx();
  private final MicrometerMetrics metrics = new MicrometerMetrics();

  @AfterEach
  void close() {
    await(vertx.close());
  }

  private Path script(String body) throws Exception {
    Path f = dir.resolve("scale.sh");
    Files.writeString(f, "#!/bin/sh\n" + body + "\n");
    assertTrue(f.toFile().setExecutable(true));
    return f;
  }

  private CommandActuator.Result run(CommandActuator a, int desired, Map<String, String> env) {
    return await(a.run(vertx.getOrCreateContext(), desired, env));
  }

  private double count(String result) {
    return metrics.scrape().lines().filter(l -> l.startsWith("coedge_scale_actuations_total{result=\"" + result
        + "\"}")).mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }

  @Test
  void theCommandGetsTheCountAsArgumentAndInTheEnvironmentAndItsLastLineIsKept() throws Exception {
    Path out = dir.resolve("seen");
    try (CommandActuator a = new CommandActuator(List.of(script("echo \"$1 $SCALE_DESIRED_NODES $SCALE_STOP_NODE\" > "
        + out + "\necho first\necho started 2 nodes").toString()), 10, metrics)) {
      CommandActuator.Result r = run(a, 3, Map.of(CommandActuator.STOP, "n7"));
      assertEquals("success", r.result());
      assertEquals(0, r.exit());
      assertEquals("started 2 nodes", r.output());
      assertEquals("3 3 n7", Files.readString(out).strip());
      assertEquals(1, count("success"));
    }
  }

  @Test
  void aNonZeroExitIsAFailureAndAMissingProgramToo() throws Exception {
    try (CommandActuator a = new CommandActuator(List.of(script("echo no capacity left >&2; exit 4").toString()), 10,
        metrics)) {
      CommandActuator.Result r = run(a, 2, Map.of());
      assertEquals("failure", r.result());
      assertEquals(4, r.exit());
      assertEquals("no capacity left", r.output());
    }
    try (CommandActuator a = new CommandActuator(List.of(dir.resolve("absent").toString()), 10, metrics)) {
      assertEquals("failure", run(a, 2, Map.of()).result());
    }
    assertEquals(2, count("failure"));
  }

  @Test
  void aCommandStillRunningAtTheTimeoutIsKilledAndCountedAsATimeout() throws Exception {
    Path pid = dir.resolve("pid");
    try (CommandActuator a = new CommandActuator(List.of(script("echo $$ > " + pid + "; exec sleep 600").toString()),
        1, metrics)) {
      CommandActuator.Result r = run(a, 2, Map.of());
      assertEquals("timeout", r.result());
      long p = Long.parseLong(Files.readString(pid).strip());
      io.coedge.Eventually.within(10_000, "the command was killed", () -> ProcessHandle.of(p)
          .map(h -> !h.isAlive()).orElse(true));
      assertEquals(1, count("timeout"));
    }
  }
}
