package io.coedge.scaling;

import io.coedge.observability.MetricName;
import io.coedge.observability.Metrics;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * {@code scale.actuator: command}: runs {@code scale.command} with the desired count appended (and in
 * {@value #DESIRED}, with the drained node to stop in {@value #STOP} on scale-in) on a thread of its
 * own, never an event loop; kills it after the timeout. Output goes to a file, not a pipe, so a command that leaves
 * a started node running in the background cannot hold it open. One log line per run; counted by result.
 */
public final class CommandActuator implements AutoCloseable {

  /** One run: {@code result} is {@code success}, {@code failure} or {@code timeout}; output's last line, clipped. */
  public record Result(String result, int exit, long ms, String output) {
    public boolean ok() {
      return "success".equals(result);
    }
  }

  /** The desired count, also in the environment (not {@code COEDGE_*}: nodes the command starts refuse those). */
  public static final String DESIRED = "SCALE_DESIRED_NODES";
  /** On scale-in, the id of the drained node to stop. */
  public static final String STOP = "SCALE_STOP_NODE";
  private static final Logger LOG = Logger.getLogger(CommandActuator.class.getName());
  private static final int MAX_OUTPUT = 200;

  private final List<String> command;
  private final long timeoutS;
  private final Map<String, Metrics.Counter> runs;
  private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "coedge-scale-command");
    t.setDaemon(true);
    return t;
  });

  public CommandActuator(List<String> command, long timeoutS, Metrics metrics) {
    this.command = List.copyOf(command);
    this.timeoutS = timeoutS;
    this.runs = Map.of("success", metrics.counter(MetricName.SCALE_ACTUATIONS, "success"),
        "failure", metrics.counter(MetricName.SCALE_ACTUATIONS, "failure"),
        "timeout", metrics.counter(MetricName.SCALE_ACTUATIONS, "timeout"));
  }

  /** Runs the command for {@code desired} nodes; completes on {@code context} with the result (never fails). */
  public Future<Result> run(Context context, int desired, Map<String, String> env) {
    CompletableFuture<Result> done = CompletableFuture.supplyAsync(() -> runHere(desired, env), thread);
    return Future.fromCompletionStage(done, context).onSuccess(r -> {
      runs.get(r.result()).increment();
      LOG.info("scale command " + r.result() + " (exit " + r.exit() + ", " + r.ms() + " ms) for " + desired
          + " nodes" + (env.containsKey(STOP) ? ", stopping " + env.get(STOP) : "")
          + ": " + r.output());
    });
  }

  private Result runHere(int desired, Map<String, String> env) {
    long t0 = System.nanoTime();
    Path out = null;
    try {
      out = Files.createTempFile("coedge-scale", ".out");
      List<String> argv = new ArrayList<>(command);
      argv.add(Integer.toString(desired));
      ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(out.toFile());
      pb.environment().putAll(env);
      pb.environment().put(DESIRED, Integer.toString(desired));
      Process p = pb.start();
      boolean finished = p.waitFor(timeoutS, TimeUnit.SECONDS);
      if (!finished) {
        p.destroyForcibly();
      }
      long ms = (System.nanoTime() - t0) / 1_000_000;
      String text = lastLine(Files.readString(out, StandardCharsets.UTF_8));
      return !finished ? new Result("timeout", -1, ms, text)
          : new Result(p.exitValue() == 0 ? "success" : "failure", p.exitValue(), ms, text);
    } catch (IOException | RuntimeException e) {
      return new Result("failure", -1, (System.nanoTime() - t0) / 1_000_000, String.valueOf(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result("failure", -1, (System.nanoTime() - t0) / 1_000_000, "interrupted");
    } finally {
      if (out != null) {
        out.toFile().delete();
      }
    }
  }

  static String lastLine(String text) {
    String[] lines = text.strip().split("\n");
    String last = lines[lines.length - 1].strip();
    return last.length() <= MAX_OUTPUT ? last : last.substring(0, MAX_OUTPUT) + "…";
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
