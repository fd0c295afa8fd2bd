package io.coedge.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coedge.Gateway;
import io.coedge.TestNodes;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The infer routes are mounted before every other route and, with authentication off, the request gate lets a
 * plain caller through without building its requirement: what every request near the infer path is answered stays
 * exactly what the node answered before (status and {@code {"error": ...}} text, recorded from the previous build),
 * on real sockets with a real node. Authentication on is covered by the security tests (ApiKeyHttpTest and others).
 */
@Timeout(60)
class InferDispatchTest {

  static final String BODY = "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,4],\"datatype\":\"FP32\","
      + "\"data\":[1,2,3,4]}]}";

  static Gateway node;

  @BeforeAll
  static void start() throws Exception {
    node = TestNodes.start(TestNodes.TEST_MODELS, Map.of("http.max-body-bytes", "4096"));
  }

  @AfterAll
  static void stop() throws Exception {
    TestNodes.stop(node);
  }

  private static RawHttp.Reply send(String method, String target, String contentType, String body,
      String... headers) throws Exception {
    byte[] b = body == null ? null : body.getBytes(StandardCharsets.UTF_8);
    return RawHttp.exchange(node.port(), RawHttp.request(method, target, contentType, b, headers), 10_000);
  }

  private static void assertAnswer(int status, String error, RawHttp.Reply r) {
    assertEquals(status, r.status(), r.toString());
    assertEquals(new JsonObject().put("error", error).encode(), r.body(), r.toString());
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(delimiter = '|', textBlock = """
      GET | /v2/models/add-one/infer | 405 | method GET is not allowed on /v2/models/add-one/infer
      PUT | /v2/models/add-one/infer | 405 | method PUT is not allowed on /v2/models/add-one/infer
      GET | /v2/models/add-one/versions/1/infer | 405 | method GET is not allowed on /v2/models/add-one/versions/1/infer
      GET | /v2/models/nope/infer | 405 | method GET is not allowed on /v2/models/nope/infer
      POST | /v2/models/nope/infer | 404 | unknown model 'nope'
      POST | /v2/models/add-one/versions/9/infer | 404 | model 'add-one' has no ready version '9'
      POST | /v2/models/add-one/x/infer | 404 | no such endpoint: POST /v2/models/add-one/x/infer
      GET | /v2/models/add-one/x/infer | 404 | no such endpoint: GET /v2/models/add-one/x/infer
      POST | /v2/models/%zz/infer | 400 | Invalid escape sequence: %zz
      GET | /v2/models/%zz/infer | 400 | Invalid escape sequence: %zz
      POST | /v2/models/a%20b/infer | 404 | unknown model 'a b'
      POST | /v2/models//infer | 405 | method POST is not allowed on /v2/models//infer
      GET | /v2/models//infer | 404 | unknown model 'infer'
      POST | /v2/models/stats | 405 | method POST is not allowed on /v2/models/stats
      POST | /v2/models/add-one | 405 | method POST is not allowed on /v2/models/add-one
      POST | /v2/models/add-one/ready | 405 | method POST is not allowed on /v2/models/add-one/ready
      GET | /v2/repository/index | 405 | method GET is not allowed on /v2/repository/index
      POST | /nothing | 404 | no such endpoint: POST /nothing
      """)
  void wrongPathsAndMethodsAreAnsweredAsBefore(String method, String target, int status, String error)
      throws Exception {
    assertAnswer(status, error, send(method, target, "application/json", BODY));
  }

  @Test
  void versionedUnversionedAndTrailingSlashInferAnswerTheSameRows() throws Exception {
    JsonObject latest = new JsonObject(send("POST", "/v2/models/add-one/infer", "application/json", BODY).body());
    JsonObject v1 = new JsonObject(send("POST", "/v2/models/add-one/versions/1/infer", "application/json", BODY)
        .body());
    JsonObject slash = new JsonObject(send("POST", "/v2/models/add-one/infer/", null, BODY).body());
    assertEquals("2", latest.getString("model_version"), latest.encode());
    assertEquals("1", v1.getString("model_version"), v1.encode());
    assertEquals(latest, slash);
    assertEquals(4, latest.getJsonArray("outputs").getJsonObject(0).getJsonArray("data").size(), latest.encode());
  }

  @Test
  void sizeTypeAndCodingRefusalsAreAnsweredAsBefore() throws Exception {
    assertAnswer(413, "request body is larger than the limit (http.max-body-bytes)",
        send("POST", "/v2/models/add-one/infer", "application/json", "a".repeat(8000)));
    assertAnswer(415, "content type 'multipart/form-data; boundary=x' is not accepted; send application/json, or "
            + "application/octet-stream with Inference-Header-Content-Length",
        send("POST", "/v2/models/add-one/infer", "multipart/form-data; boundary=x", BODY));
    assertAnswer(415, "Content-Encoding 'br' is not supported; send gzip, deflate or identity",
        send("POST", "/v2/models/add-one/infer", "application/json", BODY, "Content-Encoding: br"));
    RawHttp.Reply bad = send("POST", "/v2/models/add-one/versions/1/infer", "application/json", "{bad");
    assertEquals(400, bad.status(), bad.toString());
    assertTrue(new JsonObject(bad.body()).getString("error").startsWith("request body is not valid JSON"), bad.body());
  }

  @Test
  void routesMountedAfterInferStillAnswer() throws Exception {
    RawHttp.Reply meta = send("GET", "/v2/models/add-one", null, null);
    assertEquals(200, meta.status(), meta.toString());
    assertEquals("add-one", new JsonObject(meta.body()).getString("name"));
    RawHttp.Reply ready = send("GET", "/v2/models/add-one/ready", null, null);
    assertEquals(new JsonObject().put("name", "add-one").put("ready", true), new JsonObject(ready.body()));
  }
}
