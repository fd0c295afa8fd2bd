package io.coedge;

import io.coedge.cluster.HazelcastSetup;
import io.coedge.config.CoedgeConfig;
import io.coedge.config.ConfigException;
import io.coedge.inference.InferenceEngine;
import io.coedge.inference.ModelVersion;
import io.coedge.observability.Health;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * What a start needs from the machine, checked before any model loads or port opens: the HTTP and cluster ports
 * free, the model repository present. A failure is one line naming the key and what to do.
 */
final class StartChecks {

  /** The machine cannot run this node as configured (exit code 1), as opposed to a bad config value (2). */
  static final class EnvironmentException extends RuntimeException {
    EnvironmentException(String message) {
      super(message, null, false, false);
    }
  }

  private static final Logger LOG = Logger.getLogger(Gateway.class.getName());

  private StartChecks() {
  }

  static void check(CoedgeConfig c) {
    port("http.port", c.http().host(), c.http().port(), "--port or COEDGE_HTTP_PORT");
    if (c.cluster().enabled()) {
      String host = c.cluster().standalone() ? HazelcastSetup.LOOPBACK : c.cluster().host();
      port("cluster.port", host, c.cluster().port(), "--cluster-port or COEDGE_CLUSTER_PORT");
    }
    Path models = c.inference().modelsDir();
    if (!Files.isDirectory(models)) {
      throw new EnvironmentException("inference.models-dir '" + models + "' (" + models.toAbsolutePath()
          + ") is not a directory: create it, or point --models or COEDGE_INFERENCE_MODELS_DIR at the model "
          + "repository (<name>/<version>/model.onnx)");
    }
  }

  private static void port(String key, String host, int port, String how) {
    if (port == 0) {
      return;
    }
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress(InetAddress.getByName(host), port));
    } catch (IOException e) {
      throw new EnvironmentException(key + " " + port + " on " + host + " is not free (" + e.getMessage()
          + "): stop what uses it, or choose another port with " + how);
    }
  }

  /**
   * Model files the repository scan skips because they are not in a numeric version folder, e.g.
   * {@code models/x/model.onnx} or {@code models/x/latest/model.onnx}: one line each, saying where they belong.
   */
  static List<String> misplacedModels(Path root) {
    List<String> out = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root, 3)) {
      files.filter(p -> p.getFileName().toString().endsWith(".onnx")).forEach(p -> {
        Path rel = root.relativize(p);
        Path model = root.resolve(rel.getNameCount() > 1 ? rel.getName(0).toString() : "<name>");
        boolean placed = rel.getNameCount() == 3 && rel.getName(1).toString().matches("\\d{1,18}")
            && (rel.getFileName().toString().equals("model.onnx")
            || io.coedge.inference.SplitParts.isPartFile(rel.getFileName().toString()));
        if (!placed) {
          out.add("model file " + p + " is not loaded: a model must be " + model + "/<version number>/model.onnx"
              + " (e.g. " + model.resolve("1").resolve("model.onnx") + ")");
        }
      });
    } catch (IOException | java.io.UncheckedIOException e) {
      out.add("model repository " + root + " cannot be listed: " + e.getMessage());
    }
    return out;
  }

  /** Logs "ready" only when readiness says so; else what is missing, and each model that is not served and why. */
  static void logStarted(CoedgeConfig config, InferenceEngine engine, Health health, int port, long ms) {
    Path models = config.inference().modelsDir();
    if (engine.models().isEmpty()) {
      LOG.warning("model repository " + models.toAbsolutePath() + " holds no model (expected "
          + "<name>/<version>/model.onnx): nothing to serve");
    }
    for (ModelVersion m : engine.models()) {
      if (!m.ready()) {
        LOG.severe("model " + m.name() + "/" + m.version() + " ("
            + models.resolve(m.name()).resolve(m.version()).resolve("model.onnx") + ") is not served: " + m.error());
      }
    }
    // "ready on HOST:PORT in N ms" is what bench/serve.sh waits for.
    String node = "node " + config.node().id() + " (" + config.node().role() + ") ";
    String where = config.http().host() + ":" + port + " in " + ms + " ms";
    if (health.ready()) {
      LOG.info(node + "ready on " + where);
    } else {
      LOG.warning(node + "started on " + where + " but is NOT ready; failing checks: " + health.evaluate()
          .entrySet().stream().filter(e -> !e.getValue()).map(Map.Entry::getKey).toList());
    }
  }

  /** One line for a failed start: our own messages as they are, else the innermost cause, port problems named. */
  static String describe(Throwable failure) {
    if (failure instanceof ConfigException || failure instanceof EnvironmentException) {
      return failure.getMessage();
    }
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = String.valueOf(root.getMessage()).lines().findFirst().orElse("").strip();
    if (root instanceof java.net.BindException || message.contains("already in use")) {
      return "start failed, a port is in use (" + message + "): stop what uses it, or choose other ports with "
          + "--port and --cluster-port";
    }
    return "start failed: " + root.getClass().getSimpleName() + ": " + message;
  }
}
