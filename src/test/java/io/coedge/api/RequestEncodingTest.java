package io.coedge.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coedge.Gateway;
import io.coedge.Http;
import io.coedge.TestNodes;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Content-Encoding on requests, Accept-Encoding on answers, and bodies whatever their content type, over HTTP. */
@Timeout(60)
class RequestEncodingTest {

  static final int MAX_BODY = 1 << 20;
  static Gateway node;
  static Http http;

  @BeforeAll
  static void start() throws Exception {
    node = TestNodes.start(TestNodes.TEST_MODELS, Map.of("http.max-body-bytes", Integer.toString(MAX_BODY)));
    http = new Http(node.port());
  }

  @AfterAll
  static void stop() throws Exception {
    http.close();
    TestNodes.stop(node);
  }

  static byte[] addOne() {
    return InferenceApiTest.addOneRequest(1, 2, 3, 4).toBuffer().getBytes();
  }

  static byte[] gzip(byte[] b) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(out)) {
      z.write(b);
    }
    return out.toByteArray();
  }

  static byte[] deflate(byte[] b, boolean zlib) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (DeflaterOutputStream z = new DeflaterOutputStream(out, new Deflater(9, !zlib))) {
      z.write(b);
    }
    return out.toByteArray();
  }

  static HttpResponse<Buffer> post(String path, byte[] body, String... headers) {
    MultiMap h = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < headers.length; i += 2) {
      h.add(headers[i], headers[i + 1]);
    }
    return http.post(path, Buffer.buffer(body), h);
  }

  static void assertAddOneAnswered(HttpResponse<Buffer> r) {
    assertEquals(200, r.statusCode(), r.bodyAsString());
    assertEquals(new JsonArray().add(3.0).add(4.0).add(5.0).add(6.0),
        r.bodyAsJsonObject().getJsonArray("outputs").getJsonObject(0).getJsonArray("data"));
  }

  @Test
  void gzipAndDeflateRequestsAreInflated() throws IOException {
    String path = "/v2/models/add-one/infer";
    assertAddOneAnswered(post(path, gzip(addOne()), "content-type", "application/json", "content-encoding", "gzip"));
    assertAddOneAnswered(post(path, deflate(addOne(), true), "content-encoding", "deflate"));
    assertAddOneAnswered(post(path, deflate(addOne(), false), "content-encoding", "Deflate"));
  }

  @Test
  void aBodyThatIsNotValidForItsCodingIs400() throws IOException {
    HttpResponse<Buffer> r = post("/v2/models/add-one/infer", addOne(), "content-encoding", "gzip");
    assertEquals(400, r.statusCode(), r.bodyAsString());
    assertTrue(r.bodyAsJsonObject().getString("error").contains("not valid gzip"), r.bodyAsString());
    byte[] cut = gzip(addOne());
    r = post("/v2/models/add-one/infer", Arrays.copyOf(cut, cut.length - 12), "content-encoding", "gzip");
    assertEquals(400, r.statusCode(), r.bodyAsString());
  }

  @Test
  void aZipBombPastTheBodyLimitIs413() throws IOException {
    byte[] bomb = gzip(new byte[8 * MAX_BODY]);
    assertTrue(bomb.length < MAX_BODY / 16, "the compressed body itself is small: " + bomb.length);
    HttpResponse<Buffer> r = post("/v2/models/add-one/infer", bomb, "content-encoding", "gzip");
    assertEquals(413, r.statusCode(), r.bodyAsString());
    assertTrue(r.bodyAsJsonObject().getString("error").contains("http.max-body-bytes"), r.bodyAsString());
  }

  @Test
  void anUnknownContentCodingIs415() {
    HttpResponse<Buffer> r = post("/v2/models/add-one/infer", addOne(), "content-encoding", "br");
    assertEquals(415, r.statusCode(), r.bodyAsString());
    assertTrue(r.bodyAsJsonObject().getString("error").contains("gzip, deflate"), r.bodyAsString());
  }

  @Test
  void jsonIsReadWithoutAContentTypeOrWithCurlsFormDefault() {
    assertAddOneAnswered(post("/v2/models/add-one/infer", addOne()));
    assertAddOneAnswered(post("/v2/models/add-one/infer", addOne(),
        "content-type", "application/x-www-form-urlencoded"));
    assertEquals(415, post("/v2/models/add-one/infer", addOne(), "content-type", "multipart/form-data; boundary=x")
        .statusCode());
  }

  @Test
  void answersAreCompressedWhenTheClientAcceptsGzip() throws IOException {
    JsonArray inputs = new JsonArray();
    JsonArray zeros = new JsonArray();
    for (int i = 0; i < 256; i++) {
      zeros.add(0);
    }
    for (String t : new String[] {"UINT8", "INT8", "INT16", "INT32", "INT64", "FP16", "FP32", "FP64"}) {
      inputs.add(new JsonObject().put("name", "in_" + t).put("datatype", t)
          .put("shape", new JsonArray().add(1).add(256)).put("data", zeros));
    }
    JsonArray strings = new JsonArray();
    JsonArray bools = new JsonArray();
    zeros.forEach(z -> strings.add("s"));
    zeros.forEach(z -> bools.add(false));
    inputs.add(new JsonObject().put("name", "in_BYTES").put("datatype", "BYTES")
        .put("shape", new JsonArray().add(1).add(256)).put("data", strings));
    inputs.add(new JsonObject().put("name", "in_BOOL").put("datatype", "BOOL")
        .put("shape", new JsonArray().add(1).add(256)).put("data", bools));
    byte[] req = new JsonObject().put("inputs", inputs).toBuffer().getBytes();
    HttpResponse<Buffer> plain = post("/v2/models/dtypes-supported/infer", req);
    assertEquals(200, plain.statusCode(), plain.bodyAsString());
    HttpResponse<Buffer> zipped = post("/v2/models/dtypes-supported/infer", req, "accept-encoding", "gzip");
    assertEquals("gzip", zipped.getHeader("content-encoding"));
    assertTrue(zipped.body().length() < plain.body().length() / 4, zipped.body().length() + " vs "
        + plain.body().length());
    byte[] inflated = new GZIPInputStream(new ByteArrayInputStream(zipped.body().getBytes())).readAllBytes();
    assertEquals(plain.bodyAsJsonObject().getJsonArray("outputs"),
        new JsonObject(Buffer.buffer(inflated)).getJsonArray("outputs"));
  }
}
