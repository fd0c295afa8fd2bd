package io.coedge.api;

import static io.coedge.Eventually.await;
import static io.coedge.Eventually.within;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coedge.config.HttpConfig;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a drain waits for, over real sockets: an admitted request counts until it is answered or its connection
 * closes (one end handler per request covers both), an answer written while draining tells its client to close
 * the connection, and a request arriving while draining is a fast 503.
 */
@Timeout(60)
class InFlightTest {

  private Vertx vertx;
  private InFlight inFlight;
  private HttpServerVerticle server;
  private final Promise<RoutingContext> held = Promise.promise();
  private volatile Context heldOn;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    inFlight = new InFlight();
    HttpConfig config = new HttpConfig("127.0.0.1", 0, 4096, 60, 8192, 4096, 30, 100, 8192, HttpConfig.GRPC_OFF);
    server = new HttpServerVerticle(config, router -> router.get("/hold").handler(ctx -> {
          heldOn = Vertx.currentContext();
          held.tryComplete(ctx);
        }),
        HttpServerVerticle.options(config), inFlight, 0);
    await(vertx.deployVerticle(server));
  }

  @AfterEach
  void stop() {
    await(vertx.close());
  }

  private Socket hold() throws Exception {
    Socket s = new Socket("127.0.0.1", server.port());
    s.setSoTimeout(10_000);
    OutputStream out = s.getOutputStream();
    out.write("GET /hold HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
    await(held.future());
    return s;
  }

  /** The bytes of one answer whose body ends with {@code last} (the connection may stay open: the client closes). */
  private static byte[] readAnswer(Socket s, String last) throws Exception {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    byte[] buf = new byte[1024];
    while (!out.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n" + last)) {
      int n = s.getInputStream().read(buf);
      if (n < 0) {
        break;
      }
      out.write(buf, 0, n);
    }
    return out.toByteArray();
  }

  @Test
  void aRequestWhoseClientLeavesBeforeTheAnswerNoLongerCounts() throws Exception {
    Socket s = hold();
    assertEquals(1, inFlight.size());
    s.close();
    within(10_000, "the closed request leaves the count", () -> inFlight.size() == 0);
    assertEquals(0, await(inFlight.drain(vertx, 60_000)), "nothing left to answer 503");
  }

  @Test
  void anAnswerWrittenWhileDrainingSaysConnectionCloseAndTheDrainEndsWithIt() throws Exception {
    try (Socket s = hold()) {
      var drained = inFlight.drain(vertx, 60_000);
      assertTrue(inFlight.draining());
      RawHttp.Reply refused = RawHttp.exchange(server.port(), RawHttp.request("GET", "/hold", null, null), 10_000);
      assertEquals(503, refused.status(), refused.toString());
      assertTrue(refused.head().toLowerCase(Locale.ROOT).contains("retry-after: 1"), refused.head());
      assertEquals(1, inFlight.size(), "the refused request was never admitted");
      RoutingContext ctx = await(held.future());
      heldOn.runOnContext(v -> ctx.response().end("late"));
      RawHttp.Reply answer = RawHttp.parse(readAnswer(s, "late"));
      assertEquals(200, answer.status(), answer.toString());
      assertEquals("late", answer.body());
      assertTrue(answer.head().toLowerCase(Locale.ROOT).contains("connection: close"), answer.head());
      assertEquals(0, await(drained), "answered in time: none answered 503 by the drain");
    }
  }

  @Test
  void anAnswerWrittenAsTheDrainTimesOutIsNotCountedAsA503() throws Exception {
    Vertx other = Vertx.vertx(); // the drain's timer on another thread than the held request's event loop
    try (Socket s = hold()) {
      RoutingContext ctx = await(held.future());
      java.util.concurrent.CountDownLatch busy = new java.util.concurrent.CountDownLatch(1);
      heldOn.runOnContext(v -> { // the answer is being written when the drain times out
        busy.countDown();
        try {
          Thread.sleep(300);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        ctx.response().end("just in time");
      });
      busy.await();
      var drained = inFlight.drain(other, 1);
      RawHttp.Reply answer = RawHttp.parse(readAnswer(s, "just in time"));
      assertEquals(200, answer.status(), answer.toString());
      assertEquals(0, await(drained), "its client got the 200: no request was answered 503");
    } finally {
      await(other.close());
    }
  }
}
