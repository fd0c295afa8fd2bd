package io.coedge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coedge.config.CoedgeConfig;
import io.coedge.config.ConfigSource;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** With {@code cluster.enabled=false} the cluster endpoints still answer, showing this node alone. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UnclusteredGatewayTest {

  private static Gateway gateway;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    CoedgeConfig config = CoedgeConfig.from(ConfigSource.of(Map.of("cluster.enabled", "false", "node.id", "alone",
        "http.port", "0", "inference.models-dir", "src/test/resources/cluster-models", "inference.workers", "1")));
    gateway = Eventually.await(Gateway.start(config));
  }

  @AfterAll
  static void stop() throws Exception {
    Eventually.await(gateway.close());
  }

  private static JsonObject get(String path) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + gateway.port() + path)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    return new JsonObject(r.body());
  }

  @Test
  void theNodeTableShowsThisNodeAloneAndFresh() throws Exception {
    JsonArray nodes = get("/v2/cluster/nodes").getJsonArray("nodes");
    assertEquals(1, nodes.size());
    JsonObject self = nodes.getJsonObject(0);
    assertEquals("alone", self.getString("id"));
    assertTrue(self.getBoolean("fresh"));
    assertEquals("http://127.0.0.1:" + gateway.port(), self.getString("url"));
  }

  @Test
  void theVersionTableListsTheLoadedModel() throws Exception {
    JsonObject relu = get("/v2/cluster/versions").getJsonArray("artifacts").getJsonObject(0);
    assertEquals("relu", relu.getString("name"));
    assertEquals("1", relu.getString("current"));
  }

  @Test
  void readinessHasNoClusterCheckWhenClusteringIsOff() throws Exception {
    JsonObject ready = get("/v2/health/ready");
    assertTrue(ready.getBoolean("ready"));
    assertFalse(ready.getJsonObject("checks").containsKey("cluster"));
  }
}
