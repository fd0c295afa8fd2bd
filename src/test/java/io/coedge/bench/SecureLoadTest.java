package io.coedge.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coedge.Gateway;
import io.coedge.TestNodes;
import io.coedge.security.KeyHash;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The load tools against a real gateway with HTTPS (certificates from {@code docker/make-certs.sh}, as
 * {@code bench/security.sh} makes them), API keys and mutual TLS: the requests of a run really travel over TLS,
 * HTTP/2 when asked, and carry the {@code --header}s; without the key every one is refused.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SecureLoadTest {

  private static final String KEY = KeyHash.randomKey();

  @TempDir
  static Path dir;
  static Gateway node;
  static Payload body;

  @BeforeAll
  static void start() throws Exception {
    Process p = new ProcessBuilder("bash", "docker/make-certs.sh", dir.toString(), "gateway=127.0.0.1,localhost",
        "client").redirectErrorStream(true).start();
    String log = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "make-certs.sh finished");
    assertEquals(0, p.exitValue(), log);
    Path keys = Files.writeString(dir.resolve("keys.yaml"), "keys:\n  - id: bench\n    hash: "
        + KeyHash.of(KEY).text() + "\n    scopes: [infer]\n");
    node = TestNodes.start(TestNodes.TEST_MODELS, Map.of(
        "security.tls.cert", dir.resolve("gateway.crt").toString(),
        "security.tls.key", dir.resolve("gateway.key").toString(),
        "security.tls.ca", dir.resolve("ca.crt").toString(),
        "security.auth.mode", "keys", "security.auth.key-file", keys.toString()));
    Path json = Files.writeString(dir.resolve("add-one.json"), "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,4],"
        + "\"datatype\":\"FP32\",\"data\":[1,2,3,4]}]}");
    body = Payload.of(json.toString(), -1);
  }

  @AfterAll
  static void stop() throws Exception {
    TestNodes.stop(node);
  }

  @Test
  void httpsWithTheKeyHeaderAnswersEveryRequestOverKeptAliveTlsConnections() throws Exception {
    Transport tls = new Transport(dir.resolve("ca.crt"), null, null, false, 0);
    JsonObject line = run(tls, List.of(Map.entry("X-API-Key", KEY)));
    assertEquals(40, line.getLong("measured"));
    assertEquals(40, line.getLong("ok_2xx"), line.encode());
    assertEquals("https/1.1", line.getString("transport"));
    assertEquals("http/1.1", line.getString("http_version"));
    assertTrue(line.getString("tls").startsWith("TLSv1."), line.encode());
    // The measured run reuses connections: no handshake per request. An open-loop generator opens one more when
    // every connection is busy, which a slow (busy) machine makes happen now and then (seen: 2 of 40).
    long opened = line.getLong("connections_opened") - line.getLong("connections_after_warmup");
    assertTrue(opened * 4 < line.getLong("measured"), "a connection per request would open 40: " + line.encode());
  }

  @Test
  void withoutTheKeyHeaderEveryRequestIsRefused() throws Exception {
    JsonObject line = run(new Transport(dir.resolve("ca.crt"), null, null, false, 0), List.of());
    assertEquals(0, line.getLong("ok_2xx"));
    assertEquals(40, line.getLong("status_4xx"), line.encode());
    assertTrue(line.getString("first_error").startsWith("401"), line.getString("first_error"));
  }

  @Test
  void http2WithAClientCertificateSpreadsStreamsOverTheAskedConnections() throws Exception {
    Transport mtls = new Transport(dir.resolve("ca.crt"), dir.resolve("client.crt"), dir.resolve("client.key"),
        true, 2);
    // A forwarded request needs scope "cluster", which only a verified cluster certificate gives: 200s prove
    // that the client certificate was presented and accepted.
    JsonObject line = run(mtls, List.of(Map.entry("coedge-hop", "1")));
    assertEquals(40, line.getLong("ok_2xx"), line.encode());
    assertEquals("h2", line.getString("http_version"));
    assertEquals("https/2+mtls", line.getString("transport"));
    assertEquals(2, line.getLong("connections_opened"), line.encode());

    JsonObject without = run(new Transport(dir.resolve("ca.crt"), null, null, true, 2),
        List.of(Map.entry("coedge-hop", "1"), Map.entry("X-API-Key", KEY)));
    assertEquals(40, without.getLong("status_4xx"), without.encode());
  }

  /** 40 requests in 1 s after an unmeasured warm-up run of as many (TLS and JIT start-up on both sides). */
  private static JsonObject run(Transport transport, List<Map.Entry<String, String>> headers) throws Exception {
    LoadSpec spec = new LoadSpec(URI.create("https://127.0.0.1:" + node.port() + "/v2/models/add-one/infer"), body,
        40, 1, 0, 40, 5_000, headers);
    try (LoadClient client = new LoadClient(1, 40, transport)) {
      long warm = client.describe(client.run(spec, 0).toJson()).getLong("connections_opened");
      return client.describe(client.run(spec, 0).toJson()).put("connections_after_warmup", warm);
    }
  }
}
