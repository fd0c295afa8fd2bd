package io.coedge.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coedge.Gateway;
import io.coedge.TestNodes;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Slowloris: clients that send their head or body a byte at a time are cut off once {@code http.request-timeout-s}
 * (here 2 s) is spent, while other clients are served. The idle timeout is an hour, and a trickling client is
 * never idle anyway, so a connection closed at all was closed by the request timeout: no test here bounds how
 * fast that happens (only {@link #HANG_MS}, so that a broken guard fails instead of hanging).
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class SlowSenderTest {

  /** How long a connection may stay open before the guard is declared broken: many times any timeout here. */
  static final int HANG_MS = 60_000;
  static Gateway node;

  @BeforeAll
  static void start() throws Exception {
    node = TestNodes.start(TestNodes.TEST_MODELS, Map.of("http.request-timeout-s", "2",
        "http.idle-timeout-s", "3600"));
  }

  @AfterAll
  static void stop() throws Exception {
    TestNodes.stop(node);
  }

  /** Writes one byte every 100 ms from its own thread until the socket fails or it is told to stop. */
  private static Thread trickle(OutputStream out, AtomicBoolean stop) {
    Thread t = new Thread(() -> {
      try {
        while (!stop.get()) {
          out.write('a');
          out.flush();
          Thread.sleep(100);
        }
      } catch (IOException | InterruptedException e) {
        // the server closed the connection: what the test waits for
      }
    }, "trickle");
    t.setDaemon(true);
    t.start();
    return t;
  }

  /** Starts {@code prefix}, trickles the rest, and returns what came back and how long until the server closed. */
  private static long cutOffAfterMs(Gateway node, String prefix, StringBuilder answer) throws Exception {
    AtomicBoolean stop = new AtomicBoolean();
    try (Socket s = new Socket("127.0.0.1", node.port())) {
      s.setSoTimeout(HANG_MS);
      long t0 = System.nanoTime();
      s.getOutputStream().write(prefix.getBytes(StandardCharsets.ISO_8859_1));
      trickle(s.getOutputStream(), stop);
      // Meanwhile another client is served.
      RawHttp.Reply other = RawHttp.exchange(node.port(), RawHttp.request("GET", "/v2/health/ready", null, null),
          HANG_MS);
      assertEquals(200, other.status(), "a well-behaved client is not served beside a slow one: " + other);
      byte[] got = RawHttp.readUntilClosed(s);
      long ms = (System.nanoTime() - t0) / 1_000_000;
      answer.append(new String(got, StandardCharsets.UTF_8));
      return ms;
    } finally {
      stop.set(true);
    }
  }

  @Test
  void aClientTricklingItsHeadersIsCutOff() throws Exception {
    StringBuilder answer = new StringBuilder();
    long ms = cutOffAfterMs(node, "GET /v2/health/live HTTP/1.1\r\nHost: x\r\nX-Slow: ", answer);
    assertTrue(ms >= 1_900, "closed after " + ms + " ms, before the request timeout");
    assertEquals("", answer.toString(), "no request was complete, so nothing should be answered");
  }

  @Test
  void aClientTricklingItsBodyIsAnswered408AndCutOff() throws Exception {
    StringBuilder answer = new StringBuilder();
    long ms = cutOffAfterMs(node, "POST /v2/models/add-one/infer HTTP/1.1\r\nHost: x\r\n"
        + "Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n{\"inputs\":[", answer);
    assertTrue(ms >= 1_900, "closed after " + ms + " ms, before the request timeout");
    RawHttp.Reply r = RawHttp.parse(answer.toString().getBytes(StandardCharsets.UTF_8));
    assertEquals(408, r.status(), answer.toString());
    assertTrue(new JsonObject(r.body()).getString("error").contains("http.request-timeout-s"), r.body());
  }

  @Test
  void aKeptAliveConnectionTricklingItsNextRequestIsCutOffAfterTheIdleTimeout() throws Exception {
    Gateway shortIdle = TestNodes.start(TestNodes.TEST_MODELS, Map.of("http.request-timeout-s", "2",
        "http.idle-timeout-s", "3"));
    StringBuilder answer = new StringBuilder();
    long ms;
    try {
      ms = cutOffAfterMs(shortIdle, "GET /v2/health/live HTTP/1.1\r\nHost: x\r\n\r\n"
          + "GET /v2/health/live HTTP/1.1\r\nHost: x\r\nX-Slow: ", answer);
    } finally {
      TestNodes.stop(shortIdle);
    }
    assertTrue(ms >= 2_900, "closed after " + ms + " ms, before the idle timeout (3 s) a kept-alive one has");
    assertTrue(answer.toString().startsWith("HTTP/1.1 200"), "the first, complete request was answered: " + answer);
    assertEquals(1, answer.toString().split("HTTP/1.1 ").length - 1, "only the first request was answered");
  }
}
