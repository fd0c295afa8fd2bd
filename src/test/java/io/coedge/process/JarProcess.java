package io.coedge.process;

import io.coedge.Eventually;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A {@code java -jar target/coedge.jar} child process for multi-process tests; destroy it by PID when done. */
public final class JarProcess implements AutoCloseable {

  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final Process process;
  private final Path log;

  private JarProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  public static JarProcess start(Map<String, String> env, String... args) throws IOException {
    return startIn(null, env, args);
  }

  /** As {@link #start} with {@code dir} (null = this one) as the working directory: hs_err files land there. */
  public static JarProcess startIn(Path dir, Map<String, String> env, String... args) throws IOException {
    return startIn(dir, env, List.of(), args);
  }

  /**
   * As {@link #startIn(Path, Map, String...)} with {@code prefix} before the java command (e.g. {@code unshare -m sh
   * -c SCRIPT}, whose script ends with {@code exec "$0" "$@"}, so that the process is still the JVM).
   */
  public static JarProcess startIn(Path dir, Map<String, String> env, List<String> prefix, String... args)
      throws IOException {
    String jar = Path.of(System.getProperty("coedge.jar", "target/coedge.jar")).toAbsolutePath().toString();
    List<String> cmd = new ArrayList<>(prefix);
    cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-jar", jar));
    cmd.addAll(List.of(args));
    Path log = File.createTempFile("coedge-proc", ".log").toPath();
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().putAll(env);
    if (dir != null) {
      pb.directory(dir.toFile());
    }
    return new JarProcess(pb.start(), log);
  }

  public static int freePort() throws IOException {
    return io.coedge.Ports.free();
  }

  public Process process() {
    return process;
  }

  public String output() throws IOException {
    return java.nio.file.Files.readString(log);
  }

  /** Waits until GET {@code url} answers 200; fails with the process's log when it never does. */
  public void awaitOk(String url) throws IOException {
    try {
      Eventually.within(300_000, "GET " + url + " answers 200", () -> body(url) != null);
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; log:\n" + output(), e);
    }
  }

  /** The body of GET {@code url} when it answers 200, else null (also when nothing listens yet). */
  public static String body(String url) {
    try {
      HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
          .build(), HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? r.body() : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** Polls the process's output until it contains {@code text} or the timeout passes. */
  public static boolean awaitOutput(JarProcess p, String text, Duration timeout) throws Exception {
    long t0 = System.nanoTime();
    while (System.nanoTime() - t0 < timeout.toNanos()) {
      if (p.output().contains(text)) {
        return true;
      }
      Thread.sleep(50);
    }
    return false;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(15, java.util.concurrent.TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
