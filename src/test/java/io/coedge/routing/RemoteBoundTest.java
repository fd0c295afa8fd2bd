package io.coedge.routing;

import static io.coedge.Eventually.await;
import static io.coedge.Eventually.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The offload client's calls to a cloud node are bounded as a whole by their attempt's timeout, against a real HTTP
 * peer on loopback: an answer that trickles in (every byte restarting Vert.x's idle timeout) is given up and its
 * connection closed, so the request can still be answered here in time; a call waiting for a pooled connection
 * leaves the queue at its timeout and is never sent.
 */
@Timeout(60)
class RemoteBoundTest {

  private static final Buffer BODY = Buffer.buffer("{\"inputs\":[]}");

  private Vertx vertx;
  private HttpServer peer;
  /** The path of every request the peer received, in order. */
  private final List<String> received = new CopyOnWriteArrayList<>();
  /** Completed when the connection of the peer's first dripping answer is closed by the caller. */
  private final Promise<Void> dripClosed = Promise.promise();
  /** Completed by the test: the peer then ends the answers it is dripping. */
  private final Promise<Void> endDrips = Promise.promise();
  private String url;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    peer = await(vertx.createHttpServer().requestHandler(this::handle).listen(0, "127.0.0.1"));
    url = "http://127.0.0.1:" + peer.actualPort();
  }

  @AfterEach
  void stop() {
    await(vertx.close());
  }

  /** Infer requests get a 200 whose body comes one byte every 10 ms until the test ends it; others a plain 200. */
  private void handle(HttpServerRequest req) {
    received.add(req.path());
    if (!req.path().endsWith("/infer")) {
      req.response().end("{\"live\":true}");
      return;
    }
    req.response().setChunked(true).putHeader("content-type", "application/json").write("{");
    long drip = vertx.setPeriodic(10, id -> req.response().write(" "));
    req.connection().closeHandler(v -> {
      vertx.cancelTimer(drip);
      dripClosed.tryComplete();
    });
    endDrips.future().onComplete(v -> {
      vertx.cancelTimer(drip);
      if (!req.response().ended() && !req.response().closed()) {
        req.response().end("}");
      }
    });
  }

  private Future<RemoteAnswer> infer(RemoteClient client, long attemptUs) {
    return client.infer(url, "m", "1", BODY, "application/json", null, 30_000_000, attemptUs, null);
  }

  @Test
  void anAnswerThatTricklesInIsGivenUpAtTheAttemptTimeoutAndItsConnectionClosed() {
    RemoteClient client = new RemoteClient(vertx, 4);
    Throwable why = failure(infer(client, 1_000_000));
    assertInstanceOf(RemoteFailure.class, why);
    assertEquals(0, ((RemoteFailure) why).status(), "no answer: " + why.getMessage());
    await(dripClosed.future()); // the request was reset: the peer's connection closed, nothing more arrives of it
    assertEquals(List.of("/v2/models/m/versions/1/infer"), received);
  }

  @Test
  void aCallWaitingForAPooledConnectionIsGivenUpAtItsTimeoutAndNeverSent() {
    RemoteClient client = new RemoteClient(vertx, 1);
    Future<RemoteAnswer> first = infer(client, 30_000_000); // holds the only connection while its answer drips
    Throwable why = failure(infer(client, 200_000));
    assertEquals(0, ((RemoteFailure) why).status(), why.getMessage());
    assertFalse(first.isComplete(), "the one connection was busy all along: the second call waited for it");
    endDrips.complete();
    assertTrue(await(first).body().toString().startsWith("{"));
    assertTrue(await(client.probe(url, 30_000)) > 0);
    assertEquals(List.of("/v2/models/m/versions/1/infer", "/v2/health/live"), received,
        "the call given up while it waited was never sent: the probe came next on the connection");
  }
}
