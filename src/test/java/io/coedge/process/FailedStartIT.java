package io.coedge.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coedge.Gateway;
import io.coedge.Ports;
import io.coedge.config.CoedgeConfig;
import io.coedge.config.ConfigSource;
import io.coedge.inference.InferenceEngine;
import io.coedge.inference.OnnxInferenceEngine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A start that fails while ONNX Runtime is still creating sessions must not close them under the loader (that
 * crashed the JVM with SIGSEGV in OrtSession.createSession): the cluster port is taken after the start checks
 * passed and while the models load, twenty times over.
 */
@Timeout(600)
class FailedStartIT {

  @Test
  void aStartFailingOnTheClusterPortWhileModelsLoadClosesTheEngineOnlyAfterLoadingTwentyTimes() throws Exception {
    for (int i = 0; i < 20; i++) {
      int clusterPort = Ports.free();
      CoedgeConfig config = CoedgeConfig.from(ConfigSource.of(Map.of("http.port", Integer.toString(Ports.free()),
          "cluster.port", Integer.toString(clusterPort), "node.id", "failing-" + i, "inference.models-dir",
          "models")));
      AtomicReference<InferenceEngine> engine = new AtomicReference<>();
      try (ServerSocket taken = new ServerSocket()) {
        var start = Gateway.start(config, (inference, listener) -> {
          bind(taken, clusterPort);
          engine.set(new OnnxInferenceEngine(inference, listener));
          return engine.get();
        });
        ExecutionException e = assertThrows(ExecutionException.class,
            () -> start.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS), "run " + i);
        assertTrue(String.valueOf(e.getCause()).contains(Integer.toString(clusterPort)), "run " + i + ": " + e);
        assertTrue(engine.get().started(), "run " + i + ": the models had finished loading before the engine closed");
        assertEquals(0, engine.get().models().stream().filter(m -> !m.ready()).count(), "run " + i);
      }
    }
    try (Stream<Path> files = Files.list(Path.of("."))) {
      assertEquals(0, files.filter(f -> f.getFileName().toString().startsWith("hs_err_pid")).count(),
          "no JVM crash file");
    }
  }

  private static void bind(ServerSocket s, int port) {
    try {
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
