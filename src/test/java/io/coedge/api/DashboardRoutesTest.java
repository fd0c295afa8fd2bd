package io.coedge.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coedge.Gateway;
import io.coedge.Http;
import io.coedge.TestNodes;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The dashboard's files and its routing endpoint on a real standalone node (the page itself: DashboardIT). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DashboardRoutesTest {

  private static Gateway node;
  private static Http http;

  @BeforeAll
  static void start() throws Exception {
    node = TestNodes.start(TestNodes.TEST_MODELS, Map.of());
    http = new Http(node.port());
  }

  @AfterAll
  static void stop() throws Exception {
    if (http != null) {
      http.close();
    }
    TestNodes.stop(node);
  }

  @Test
  void servesThePageAndItsScriptsFromTheJarWithASecurityPolicy() throws Exception {
    HttpResponse<Buffer> page = http.get("/dashboard");
    assertEquals(200, page.statusCode());
    assertTrue(page.getHeader("content-type").startsWith("text/html"));
    assertTrue(page.getHeader("content-security-policy").startsWith("default-src 'self'"));
    assertTrue(page.bodyAsString().contains("/dashboard/dashboard.js"));
    HttpResponse<Buffer> lib = http.get("/dashboard/uPlot.iife.min.js");
    assertEquals(200, lib.statusCode());
    assertTrue(lib.getHeader("content-type").startsWith("text/javascript"));
    try (InputStream in = getClass().getClassLoader().getResourceAsStream("dashboard/uPlot.iife.min.js")) {
      assertEquals(in.readAllBytes().length, lib.body().length());
    }
  }

  @Test
  void anUnknownFileIs404WithAnErrorAndNothingOutsideTheFolderIsServed() {
    HttpResponse<Buffer> missing = http.get("/dashboard/nope.js");
    assertEquals(404, missing.statusCode());
    assertTrue(missing.bodyAsJsonObject().getString("error").contains("nope.js"));
    assertEquals(404, http.get("/dashboard/uPlot.LICENSE").statusCode(), "only the listed files are served");
    assertNotEquals(200, http.get("/dashboard/..%2F..%2Fpom.xml").statusCode());
  }

  @Test
  void routingHasNoErrorsBeforeAnyPredictionAndNoPeersAlone() {
    JsonObject r = http.get("/dashboard/routing").bodyAsJsonObject();
    assertEquals("test-node", r.getString("node"));
    assertNull(r.getJsonObject("error").getValue("local"));
    assertNull(r.getJsonObject("error").getValue("remote"));
    assertTrue(r.getJsonArray("peers").isEmpty());
  }
}
