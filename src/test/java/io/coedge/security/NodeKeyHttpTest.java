package io.coedge.security;

import static io.coedge.Eventually.await;
import static io.coedge.Eventually.failure;
import static io.coedge.security.AuthFixture.entry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coedge.routing.RemoteAnswer;
import io.coedge.routing.RemoteClient;
import io.coedge.routing.RemoteFailure;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Without mutual TLS a node proves itself with its own key (security.auth.node-key-file): the real offload client
 * sends it on forwarded requests and probes; a cloud node with keys on answers them, and refuses a client without.
 */
@Timeout(60)
class NodeKeyHttpTest {

  @TempDir
  Path dir;

  @Test
  void theOffloadClientSendsTheNodeKeyAndTheCloudNodeAcceptsItOnlyWithIt() throws Exception {
    String nodeKey = KeyHash.randomKey();
    String clientKey = KeyHash.randomKey();
    Path keys = AuthFixture.writeKeys(dir.resolve("keys.yaml"), entry("edge-1", nodeKey, "cluster", null),
        entry("client", clientKey, "infer", null));
    Vertx vertx = Vertx.vertx();
    try (AuthFixture cloud = new AuthFixture(Map.of("security.auth.mode", "keys", "security.auth.key-file",
        keys.toString(), "security.auth.open-health", "false"))) {
      String url = "http://127.0.0.1:" + cloud.node.port();
      RemoteClient withKey = new RemoteClient(vertx, 4, null, nodeKey);
      RemoteAnswer a = await(withKey.infer(url, "add-one", "2", AuthFixture.ADD_ONE_BODY.toBuffer(), "application/json",
          null, 5_000_000));
      assertTrue(a.body().toString().contains("\"outputs\""), a.body().toString());
      assertTrue(await(withKey.probe(url, 5_000)) > 0, "a probe with the key is answered 200 and timed");

      RemoteClient without = new RemoteClient(vertx, 4);
      assertEquals(401, ((RemoteFailure) failure(without.probe(url, 5_000))).status(), "health is not open here");
      Throwable anonymous = failure(without.infer(url, "add-one", "2", AuthFixture.ADD_ONE_BODY.toBuffer(),
          "application/json", null, 5_000_000));
      assertEquals(401, ((RemoteFailure) anonymous).status());
      RemoteClient client = new RemoteClient(vertx, 4, null, clientKey);
      Throwable notANode = failure(client.infer(url, "add-one", "2", AuthFixture.ADD_ONE_BODY.toBuffer(),
          "application/json", null, 5_000_000));
      assertEquals(403, ((RemoteFailure) notANode).status(), "a client key cannot pose as a node");
      withKey.close();
      without.close();
      client.close();
    } finally {
      await(vertx.close());
    }
  }
}
