package io.coedge.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coedge.cluster.Artifact;
import io.coedge.cluster.FixedNode;
import io.coedge.cluster.HybridLogicalClock;
import io.coedge.cluster.InMemoryClusterView;
import io.coedge.cluster.NodeRecord;
import io.coedge.cluster.VersionRecord;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class ClusterRoutesTest {

  private static final String A = "a".repeat(64);
  private static final String B = "b".repeat(64);

  private final AtomicLong now = new AtomicLong(1_000_000);
  private final InMemoryClusterView view = new InMemoryClusterView("edge-1", 2_000, now::get);
  private WebClient client;
  private int port;

  @BeforeEach
  void serve(Vertx vertx, VertxTestContext ctx) {
    view.start(new FixedNode("edge-1", "edge", "factory", "http://127.0.0.1:1", "test",
        List.of(new NodeRecord.Model("m", "1", A, true, 1, 0, 0, 10, 1, 10)), List.of(Artifact.model("m", "1", A, 100))));
    view.put(new NodeRecord("cloud-1", "u", "cloud", "dc", "http://10.0.0.1:8080", "test", false, 3, now.get() - 5_000,
        List.of()));
    view.putVersion(new VersionRecord(Artifact.model("m", "2", A, 1), "cloud-1", new HybridLogicalClock.Timestamp(1, 0)));
    view.putVersion(new VersionRecord(Artifact.model("m", "2", B, 1), "edge-9", new HybridLogicalClock.Timestamp(2, 0)));
    Router router = Router.router(vertx);
    new ClusterRoutes(view, 2_000).mount(router);
    router.route().failureHandler(Failures::handle);
    client = WebClient.create(vertx);
    vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
        .onComplete(ctx.succeeding(s -> {
          port = s.actualPort();
          ctx.completeNow();
        }));
  }

  @Test
  void aBandwidthProbeIsReadAndItsSizeAnswered(VertxTestContext ctx) {
    client.post(port, "127.0.0.1", io.coedge.routing.Hop.PROBE_PATH)
        .sendBuffer(io.vertx.core.buffer.Buffer.buffer(new byte[65_536]))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertEquals(200, r.statusCode());
          assertEquals(65_536, r.bodyAsJsonObject().getInteger("bytes"));
          ctx.completeNow();
        })));
  }

  @Test
  void aBandwidthProbeCutMidBodyByItsClientIsNoServerFailure() throws Exception {
    List<LogRecord> records = new CopyOnWriteArrayList<>();
    Handler capture = new Handler() {
      @Override
      public void publish(LogRecord r) {
        records.add(r);
      }

      @Override
      public void flush() {
      }

      @Override
      public void close() {
      }
    };
    Logger failures = Logger.getLogger(Failures.class.getName());
    Level level = failures.getLevel();
    capture.setLevel(Level.ALL);
    failures.setLevel(Level.ALL);
    failures.addHandler(capture);
    try {
      try (Socket s = new Socket("127.0.0.1", port)) {
        s.getOutputStream().write(("POST " + io.coedge.routing.Hop.PROBE_PATH + " HTTP/1.1\r\nhost: x\r\n"
            + "content-length: 65536\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().write(new byte[1_000]);
        s.getOutputStream().flush();
      } // closed with 64 KiB still to come, as a prober giving up on a slow link does
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (records.isEmpty() && System.nanoTime() < until) {
        Thread.sleep(10);
      }
      assertEquals(1, records.size(), "the hang-up is logged once: " + records);
      assertEquals(Level.FINE, records.get(0).getLevel(), "a client's hang-up is not a server failure");
    } finally {
      failures.removeHandler(capture);
      failures.setLevel(level);
    }
  }

  @Test
  void nodesListsEveryRecordWithAgeAndFreshness(VertxTestContext ctx) {
    client.get(port, "127.0.0.1", "/v2/cluster/nodes").send().onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertEquals(200, r.statusCode());
      JsonObject body = r.bodyAsJsonObject();
      assertEquals("edge-1", body.getString("node"));
      JsonArray nodes = body.getJsonArray("nodes");
      assertEquals(2, nodes.size());
      JsonObject cloud = nodes.getJsonObject(0);
      assertEquals("cloud-1", cloud.getString("id"));
      assertEquals(5_000, cloud.getLong("ageMs"));
      assertFalse(cloud.getBoolean("fresh"));
      assertEquals("stale", cloud.getString("state"));
      JsonObject self = nodes.getJsonObject(1);
      assertTrue(self.getBoolean("fresh"));
      assertEquals(A, self.getJsonArray("models").getJsonObject(0).getString("sha256"));
      ctx.completeNow();
    })));
  }

  @Test
  void versionsShowsCurrentVersionsHoldersAndConflicts(VertxTestContext ctx) {
    client.get(port, "127.0.0.1", "/v2/cluster/versions").send().onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertEquals(200, r.statusCode());
      JsonObject body = r.bodyAsJsonObject();
      JsonObject m = body.getJsonArray("artifacts").getJsonObject(0);
      assertEquals("1", m.getString("current"));
      JsonArray versions = m.getJsonArray("versions");
      assertEquals(3, versions.size());
      assertTrue(versions.getJsonObject(0).getBoolean("conflict"));
      JsonObject v1 = versions.getJsonObject(2);
      assertEquals(new JsonArray().add("edge-1"), v1.getJsonArray("holders"));
      assertEquals("edge-1", v1.getString("publisher"));
      JsonObject conflict = body.getJsonArray("conflicts").getJsonObject(0);
      assertEquals("2", conflict.getString("version"));
      assertEquals(new JsonArray().add(A).add(B), conflict.getJsonArray("sha256"));
      ctx.completeNow();
    })));
  }

  @Test
  void garbageInTheTableIsLeftOutAndTheEndpointsStillAnswer(VertxTestContext ctx) {
    assertFalse(view.putRaw("evil", "{\"format\":1,\"id\":\"evil\",\"models\":\"" + "x".repeat(100_000) + "\"}"));
    assertFalse(view.putRaw("future", "not json at all"));
    client.get(port, "127.0.0.1", "/v2/cluster/nodes").send().onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertEquals(200, r.statusCode());
      assertEquals(2, r.bodyAsJsonObject().getJsonArray("nodes").size());
      assertEquals(2, view.rejectedRecords());
      ctx.completeNow();
    })));
  }
}
