package io.coedge.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coedge.Eventually;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * SIGTERM drains: with requests parked in a slow model's queue (one worker, batches of one), the node answers every
 * new request 503 (kept-alive connections included: none is cut), answers every admitted request, closes its
 * listener and exits 0; past {@code node.drain-timeout-s} what is left gets 503. Ordered by events: the queue gauge
 * says the requests are parked, the log says the drain began.
 */
@Timeout(600)
class DrainProcessIT {

  private static final String MODELS = "src/test/resources/slow-models";
  private static final String BODY = "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,4],\"datatype\":\"FP32\","
      + "\"data\":[1,2,3,4]}]}";

  @Test
  void sigtermAnswersEveryQueuedRequestRefusesNewOnesAndExitsZero() throws Exception {
    int parked = 5;
    try (Node node = start("60")) {
      JarProcess p = node.p();
      String base = node.base();
      List<CompletableFuture<HttpResponse<String>>> sent = parkThenSigterm(node, parked);
      assertTrue(JarProcess.awaitOutput(p, "draining: ", Duration.ofSeconds(60)), p.output());
      HttpResponse<String> late = HttpClient.newHttpClient().send(infer(base), HttpResponse.BodyHandlers.ofString());
      assertEquals(503, late.statusCode(), "a new request while the drain runs: " + late.body());
      assertTrue(late.headers().firstValue("retry-after").isPresent(), late.headers().toString());
      assertTrue(sent.stream().anyMatch(f -> !f.isDone()), "refused while admitted requests still ran");
      for (CompletableFuture<HttpResponse<String>> f : sent) {
        HttpResponse<String> r = f.get(120, TimeUnit.SECONDS);
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.body().contains("\"data\":[1.0,2.0,3.0,4.0]"), r.body());
      }
      assertTrue(p.process().waitFor(120, TimeUnit.SECONDS), "exits after the drain");
      assertTrue(refused(base), "the listener is closed");
      assertEquals(0, p.process().exitValue(), p.output());
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+) of (\\d+) in-flight request\\(s\\) answered")
          .matcher(p.output());
      assertTrue(m.find(), p.output());
      assertEquals(m.group(2), m.group(1), p.output());
      assertTrue(Integer.parseInt(m.group(1)) >= 2, "requests were parked when the drain began: " + p.output());
    }
  }

  @Test
  void pastTheDrainTimeoutWhatIsLeftGets503WithRetryAfter() throws Exception {
    int parked = 8;
    try (Node node = start("0")) { // no time to answer: what is queued is left, however fast the machine
      JarProcess p = node.p();
      List<CompletableFuture<HttpResponse<String>>> sent = parkThenSigterm(node, parked);
      int ok = 0;
      int refused = 0;
      for (CompletableFuture<HttpResponse<String>> f : sent) {
        HttpResponse<String> r = f.get(120, TimeUnit.SECONDS);
        if (r.statusCode() == 200) {
          ok++;
        } else {
          assertEquals(503, r.statusCode(), r.body());
          assertTrue(r.headers().firstValue("retry-after").isPresent(), r.headers().toString());
          assertTrue(r.body().contains("shut down before the request was answered"), r.body());
          refused++;
        }
      }
      assertEquals(parked, ok + refused);
      assertTrue(refused > 0, "with no drain time the queued requests are left: " + p.output());
      assertTrue(p.process().waitFor(120, TimeUnit.SECONDS), "exits after the drain");
      assertEquals(0, p.process().exitValue(), p.output());
      assertTrue(p.output().contains(refused + " answered 503"), ok + " answered 200, " + refused + " 503: "
          + p.output());
    }
  }

  @Test
  void requestsWrittenOnIdleKeptAliveConnectionsAsTheDrainBeginsGet503NotACut() throws Exception {
    try (Node node = start("60")) {
      JarProcess p = node.p();
      List<KeptAlive> idle = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        idle.add(new KeptAlive(node.port()));
        assertTrue(idle.get(i).get("/v2/health/live").startsWith("HTTP/1.1 200"), "open and kept alive");
      }
      List<CompletableFuture<HttpResponse<String>>> sent = parkThenSigterm(node, 5);
      assertTrue(JarProcess.awaitOutput(p, "draining: ", Duration.ofSeconds(60)), p.output());
      for (KeptAlive c : idle) { // written as the listener would have closed them
        String head = c.get("/v2/health/live");
        assertTrue(head.startsWith("HTTP/1.1 503"), "an answer, not a cut: " + head);
        assertTrue(head.toLowerCase(java.util.Locale.ROOT).contains("retry-after: 1"), head);
        assertTrue(head.toLowerCase(java.util.Locale.ROOT).contains("connection: close"), head);
        c.close();
      }
      for (CompletableFuture<HttpResponse<String>> f : sent) {
        assertEquals(200, f.get(120, TimeUnit.SECONDS).statusCode());
      }
      assertTrue(p.process().waitFor(120, TimeUnit.SECONDS), "exits after the drain");
      assertEquals(0, p.process().exitValue(), p.output());
    }
  }

  /**
   * The listener closes before the connections: a connection it accepted that never carried a request, and a
   * kept-alive one, each idle until the listener refuses new connections, then written on, get a 503 rather than a cut (the linger is long
   * here so that the order holds on a busy machine; events, not timings: the refused connect comes first).
   */
  @Test
  void aRequestWrittenAfterTheListenerClosedOnAConnectionOpenedBeforeIsAnswered() throws Exception {
    try (Node node = start("60", "10000")) {
      JarProcess p = node.p();
      KeptAlive used = new KeptAlive(node.port());
      assertTrue(used.get("/v2/health/live").startsWith("HTTP/1.1 200"), "open and kept alive");
      KeptAlive fresh = new KeptAlive(node.port()); // accepted, nothing written yet
      List<CompletableFuture<HttpResponse<String>>> sent = parkThenSigterm(node, 3);
      assertTrue(JarProcess.awaitOutput(p, "draining: ", Duration.ofSeconds(60)), p.output());
      for (CompletableFuture<HttpResponse<String>> f : sent) {
        assertEquals(200, f.get(120, TimeUnit.SECONDS).statusCode());
      }
      Eventually.within(60_000, "the listener refuses new connections", () -> connectRefused(node.port()));
      for (KeptAlive c : List.of(used, fresh)) {
        String head = c.get("/v2/health/live");
        assertTrue(head.startsWith("HTTP/1.1 503"), "an answer, not a cut: '" + head + "'");
        assertTrue(head.toLowerCase(java.util.Locale.ROOT).contains("connection: close"), head);
        c.close();
      }
      assertTrue(p.process().waitFor(120, TimeUnit.SECONDS), "exits after the drain");
      assertEquals(0, p.process().exitValue(), p.output());
      assertTrue(p.output().contains("2 new request(s) refused"), p.output());
    }
  }

  private static boolean connectRefused(int port) {
    try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
      return false;
    } catch (java.net.ConnectException e) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** One raw HTTP/1.1 connection kept open between requests; {@link #get} returns the answer's head ("" if none). */
  private static final class KeptAlive implements AutoCloseable {
    private final java.net.Socket socket;

    KeptAlive(int port) throws IOException {
      socket = new java.net.Socket("127.0.0.1", port);
      socket.setSoTimeout(60_000);
    }

    String get(String path) throws IOException {
      try {
        socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        StringBuilder head = new StringBuilder();
        var in = socket.getInputStream();
        for (int b; !head.toString().endsWith("\r\n\r\n") && (b = in.read()) >= 0; ) {
          head.append((char) b);
        }
        String h = head.toString();
        java.util.regex.Matcher len = java.util.regex.Pattern.compile("(?i)content-length: (\\d+)").matcher(h);
        in.readNBytes(len.find() ? Integer.parseInt(len.group(1)) : 0);
        return h;
      } catch (java.net.SocketException cut) {
        return "";
      }
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  /** A node as a child process and its base URL. */
  private record Node(JarProcess p, String base) implements AutoCloseable {
    int port() {
      return Integer.parseInt(base.substring(base.lastIndexOf(':') + 1));
    }

    @Override
    public void close() throws InterruptedException {
      p.close();
    }
  }

  private static Node start(String drainTimeoutS) throws Exception {
    return start(drainTimeoutS, "500");
  }

  private static Node start(String drainTimeoutS, String lingerMs) throws Exception {
    int port = JarProcess.freePort();
    JarProcess p = JarProcess.start(Map.of("COEDGE_INFERENCE_WORKERS", "1", "COEDGE_NODE_DRAIN_TIMEOUT_S",
        drainTimeoutS, "COEDGE_NODE_DRAIN_LINGER_MS", lingerMs), "--port", Integer.toString(port), "--cluster-port", Integer.toString(JarProcess.freePort()),
        "--models", MODELS);
    String base = "http://127.0.0.1:" + port;
    p.awaitOk(base + "/v2/health/ready");
    return new Node(p, base);
  }

  /**
   * Sends {@code n} requests, waits until at least {@code n - 2} wait in the queue behind a running one, then sends
   * the node SIGTERM.
   */
  private static List<CompletableFuture<HttpResponse<String>>> parkThenSigterm(Node node, int n) {
    JarProcess p = node.p();
    String base = node.base();
    HttpClient client = HttpClient.newHttpClient();
    List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      sent.add(client.sendAsync(infer(base), HttpResponse.BodyHandlers.ofString()));
    }
    java.util.regex.Pattern gauge = java.util.regex.Pattern.compile(
        "(?m)^coedge_inference_pending_requests\\{model=\"slow\",version=\"1\",?} (\\d+)\\.0$");
    try {
      Eventually.within(120_000, "queue holds " + (n - 2), () -> {
        String m = JarProcess.body(base + "/metrics");
        java.util.regex.Matcher g = m == null ? null : gauge.matcher(m);
        return g != null && g.find() && Integer.parseInt(g.group(1)) >= n - 2;
      });
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; metrics:\n" + JarProcess.body(base + "/metrics") + "\nlog:\n"
          + output(p), e);
    }
    p.process().destroy();
    return sent;
  }

  /**
   * A new request once the drain began is never served: a fast 503 with Retry-After, or (once the listener closed,
   * the awaited outcome) connection refused; a connection caught in the listener's backlog as it closes is reset.
   */
  private static boolean refused(String base) {
    HttpClient fresh = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    try {
      HttpResponse<String> r = fresh.send(infer(base), HttpResponse.BodyHandlers.ofString());
      assertEquals(503, r.statusCode(), r.body());
      assertTrue(r.headers().firstValue("retry-after").isPresent(), r.headers().toString());
      return false;
    } catch (java.net.ConnectException e) {
      return true;
    } catch (IOException reset) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static String output(JarProcess p) {
    try {
      return p.output();
    } catch (IOException e) {
      return e.toString();
    }
  }

  private static HttpRequest infer(String base) {
    return HttpRequest.newBuilder(URI.create(base + "/v2/models/slow/infer")).timeout(Duration.ofSeconds(120))
        .POST(HttpRequest.BodyPublishers.ofString(BODY)).build();
  }
}
