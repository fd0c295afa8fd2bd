package io.coedge.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coedge.Gateway;
import io.coedge.TestNodes;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A sweep of hostile input over every endpoint, sent as raw bytes on real sockets: each request is answered with
 * a 4xx {@code {"error": ...}} or its connection is closed, never a 5xx or a hang, and afterwards the node is
 * ready, still answers correctly and holds no more heap than before.
 */
@Timeout(60)
class HostileInputTest {

  static final int CLOSED = -1;
  static final List<String> GETS = List.of("/v2", "/v2/health/live", "/v2/health/ready", "/v2/models/add-one",
      "/v2/models/add-one/versions/1", "/v2/models/add-one/ready", "/v2/models/add-one/versions/1/ready",
      "/v2/models/stats", "/v2/models/add-one/stats", "/v2/models/add-one/versions/1/stats",
      "/v2/cluster/nodes", "/v2/cluster/versions", "/metrics");
  static final List<String> INFERS = List.of("/v2/models/add-one/infer", "/v2/models/add-one/versions/1/infer");
  static final String OK_INPUT = "{\"name\":\"x\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[1,2,3,4]}";

  static Gateway node;
  static int port;

  @BeforeAll
  static void start() throws Exception {
    node = TestNodes.start(TestNodes.TEST_MODELS, Map.of("http.max-body-bytes", "1048576",
        "http.request-timeout-s", "2"));
    port = node.port();
  }

  @AfterAll
  static void stop() throws Exception {
    TestNodes.stop(node);
  }

  private static Arguments hostile(String name, byte[] request, Integer... allowed) {
    return Arguments.of(name, request, Set.of(allowed));
  }

  private static byte[] get(String method, String target, String... headers) {
    return RawHttp.request(method, target, null, null, headers);
  }

  private static byte[] json(String target, String body, String... headers) {
    return RawHttp.request("POST", target, "application/json", body.getBytes(StandardCharsets.UTF_8), headers);
  }

  private static byte[] bytes(String target, String contentType, byte[] body, String... headers) {
    return RawHttp.request("POST", target, contentType, body, headers);
  }

  private static String inputs(String shape, String type, String data) {
    return "{\"inputs\":[{\"name\":\"x\",\"shape\":" + shape + ",\"datatype\":\"" + type + "\",\"data\":" + data
        + "}]}";
  }

  /** Valid JSON text around {@code middle}, with bytes that are not UTF-8 spliced in. */
  private static byte[] withRawBytes(String before, byte[] middle, String after) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(before.getBytes(StandardCharsets.UTF_8));
    out.writeBytes(middle);
    out.writeBytes(after.getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  static Stream<Arguments> everyEndpoint() {
    List<Arguments> cases = new ArrayList<>();
    List<String> all = new ArrayList<>(GETS);
    all.addAll(INFERS);
    for (String path : all) {
      String verb = INFERS.contains(path) ? "POST" : "GET";
      cases.add(hostile(path + " oversize header", get(verb, path, "X-Pad: " + "a".repeat(9_000)), 431, CLOSED));
      cases.add(hostile(path + " many headers", get(verb, path, manyHeaders()), 431, CLOSED));
      cases.add(hostile(path + " oversize URI", get(verb, path + "?q=" + "a".repeat(5_000)), 414, CLOSED));
      cases.add(hostile(path + " invalid UTF-8 escapes in path", get(verb, path + "/%FF%FE%C0%AF"), 400, 404));
      cases.add(hostile(path + " raw non-UTF-8 bytes in path",
          latin1(verb + " " + path + "/\u00ff\u00fe HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
          400, 404, CLOSED));
      cases.add(hostile(path + " NUL in a header", get(verb, path, "X-Evil: a\u0000b"), 400, CLOSED));
      cases.add(hostile(path + " wrong method DELETE", get("DELETE", path), 405));
      cases.add(hostile(path + " wrong method PUT", get("PUT", path), 405));
      cases.add(hostile(path + " unknown method", get("BREW", path), 400, 405, 501, CLOSED));
      cases.add(hostile(path + " negative Content-Length", get(verb, path, "Content-Length: -5"), 400, CLOSED));
      cases.add(hostile(path + " non-numeric Content-Length", get(verb, path, "Content-Length: lots"), 400,
          CLOSED));
      cases.add(hostile(path + " unknown sub-path", get(verb, path + "/../../etc/passwd"), 400, 404, 405));
    }
    cases.add(hostile("garbage request line", latin1("\u0016\u0003\u0001 not http at all\r\n\r\n"), 400, CLOSED));
    cases.add(hostile("HTTP/0.9 style", latin1("GET /v2\r\n\r\n"), 400, CLOSED));
    cases.add(hostile("unknown path", get("GET", "/admin"), 404));
    cases.add(hostile("unknown model", get("GET", "/v2/models/nope"), 404));
    cases.add(hostile("unknown version", get("GET", "/v2/models/add-one/versions/99/ready"), 404));
    return cases.stream();
  }

  static Stream<Arguments> inferBodies() {
    List<Arguments> cases = new ArrayList<>();
    for (String path : INFERS) {
      cases.add(hostile("100k [ nesting", json(path, "[".repeat(100_000)), 400));
      cases.add(hostile("100k [ nesting in data", json(path, inputs("[1,4]", "FP32", "[".repeat(100_000))), 400));
      cases.add(hostile("100k { nesting", json(path, "{\"a\":".repeat(50_000)), 400));
      for (String shape : List.of("[2147483647,2147483647]", "[-1,4]", "[4611686018427387904,4]",
          "[9223372036854775807,9223372036854775807]", "[99999999999999999999999,4]", "[1e30,4]", "[]",
          "[1,4,-9223372036854775808]", "[65536,65536,65536]")) {
        cases.add(hostile("shape " + shape, json(path, inputs(shape, "FP32", "[1,2,3,4]")), 400));
      }
      for (String v : List.of("NaN", "Infinity", "-Infinity", "1e999", "-1e999", "3.5e38",
          "123456789012345678901234567890e999999999", "0x10", "+1", ".5", "01")) {
        cases.add(hostile("FP32 number " + v, json(path, inputs("[1,4]", "FP32", "[1,2," + v + ",4]")), 400));
      }
      cases.add(hostile("invalid UTF-8 in a name", bytes(path, "application/json",
          withRawBytes("{\"inputs\":[{\"name\":\"", new byte[] {(byte) 0xC3, 0x28}, "\",\"shape\":[1,4],"
              + "\"datatype\":\"FP32\",\"data\":[1,2,3,4]}]}")), 400));
      cases.add(hostile("overlong UTF-8 in the id", bytes(path, "application/json",
          withRawBytes("{\"id\":\"", new byte[] {(byte) 0xC0, (byte) 0xAF}, "\",\"inputs\":[" + OK_INPUT + "]}")),
          400));
      cases.add(hostile("UTF-8-encoded surrogate in a name", bytes(path, "application/json",
          withRawBytes("{\"inputs\":[{\"name\":\"", new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
              "\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[1,2,3,4]}]}")), 400));
      cases.add(hostile("invalid UTF-8 in a BYTES tensor", bytes(path, "application/json",
          withRawBytes("{\"inputs\":[{\"name\":\"x\",\"shape\":[1,1],\"datatype\":\"BYTES\",\"data\":[\"",
              new byte[] {(byte) 0xFF, (byte) 0xFE}, "\"]}]}")), 400));
      cases.add(hostile("lone surrogate escape in a name",
          json(path, "{\"inputs\":[{\"name\":\"\\uD800\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[1,2,3,4]}]}"),
          400));
      cases.add(hostile("duplicate inputs key", json(path, "{\"inputs\":[" + OK_INPUT + "],\"inputs\":[" + OK_INPUT
          + "]}"), 400));
      cases.add(hostile("duplicate shape key", json(path, "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,4],"
          + "\"shape\":[2,2],\"datatype\":\"FP32\",\"data\":[1,2,3,4]}]}"), 400));
      cases.add(hostile("text/plain", bytes(path, "text/plain", "hello".getBytes(StandardCharsets.UTF_8)), 400,
          415));
      // curl -d's default type: read as JSON, as Triton does, so form data is a 400 naming the JSON error
      cases.add(hostile("form-encoded garbage", bytes(path, "application/x-www-form-urlencoded",
          "a=1&b=2&c=3".repeat(2_000).getBytes(StandardCharsets.UTF_8)), 400));
      cases.add(hostile("multipart garbage", bytes(path, "multipart/form-data; boundary=zz",
          "--zz\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\nx\r\n--zz--\r\n".repeat(500)
              .getBytes(StandardCharsets.UTF_8)), 415));
      byte[] header = ("{\"inputs\":[{\"name\":\"x\",\"shape\":[1,4],\"datatype\":\"FP32\","
          + "\"parameters\":{\"binary_data_size\":16}}]}").getBytes(StandardCharsets.UTF_8);
      byte[] binary = binaryBody(header, 16);
      for (String lie : List.of(String.valueOf(header.length + 100), String.valueOf(binary.length + 1),
          "2147483648", "-1", "abc", "0", String.valueOf(header.length - 5), "99999999999999999999")) {
        cases.add(hostile("Inference-Header-Content-Length " + lie, bytes(path, "application/octet-stream", binary,
            "Inference-Header-Content-Length: " + lie), 400));
      }
      byte[] shortHeader = ("{\"inputs\":[{\"name\":\"x\",\"shape\":[1,4],\"datatype\":\"FP32\","
          + "\"parameters\":{\"binary_data_size\":2147483647}}]}").getBytes(StandardCharsets.UTF_8);
      cases.add(hostile("binary_data_size beyond the body", bytes(path, "application/octet-stream",
          binaryBody(shortHeader, 16), "Inference-Header-Content-Length: " + shortHeader.length), 400));
      cases.add(hostile("declared body over the limit", RawHttp.request("POST", path, "application/json", null,
          "Content-Length: 1000000000000"), 413, CLOSED));
      cases.add(hostile("chunked body over the limit", chunked(path, 1_200_000), 413, CLOSED));
    }
    return cases.stream();
  }

  private static String[] manyHeaders() {
    String[] h = new String[2_000];
    for (int i = 0; i < h.length; i++) {
      h[i] = "X-" + i + ": v";
    }
    return h;
  }

  private static byte[] latin1(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static byte[] binaryBody(byte[] header, int tensorBytes) {
    ByteBuffer b = ByteBuffer.allocate(header.length + tensorBytes).order(ByteOrder.LITTLE_ENDIAN);
    b.put(header);
    while (b.remaining() >= 4) {
      b.putFloat(1f);
    }
    return b.array();
  }

  private static byte[] chunked(String path, int total) {
    StringBuilder s = new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
        + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
    String chunk = "a".repeat(60_000);
    for (int sent = 0; sent < total; sent += chunk.length()) {
      s.append(Integer.toHexString(chunk.length())).append("\r\n").append(chunk).append("\r\n");
    }
    return latin1(s.append("0\r\n\r\n").toString());
  }

  private static void answeredSafely(String name, RawHttp.Reply r, Set<Integer> allowed) {
    assertTrue(allowed.contains(r.status()), name + ": got " + r + ", allowed " + allowed);
    if (r.status() >= 400) {
      String error = new JsonObject(r.body()).getString("error");
      assertTrue(error != null && !error.isBlank(), name + ": no error message in " + r);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyEndpoint")
  void hostileRequestOnAnyEndpointIsRefusedWith4xxOrClosed(String name, byte[] request, Set<Integer> allowed)
      throws Exception {
    answeredSafely(name, RawHttp.exchange(port, request, 10_000), allowed);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("inferBodies")
  void hostileInferBodyIsRefusedWith4xxOrClosed(String name, byte[] request, Set<Integer> allowed)
      throws Exception {
    answeredSafely(name, RawHttp.exchange(port, request, 10_000), allowed);
  }

  @Test
  void theNodeIsReadyCorrectAndNoHeavierAfterTheWholeSweep() throws Exception {
    long before = heapAfterGc();
    for (int round = 0; round < 1; round++) {
      for (Stream<Arguments> s : List.of(everyEndpoint(), inferBodies())) {
        for (Arguments a : s.toList()) {
          RawHttp.Reply r = RawHttp.exchange(port, (byte[]) a.get()[1], 10_000);
          assertFalse(r.status() >= 500, a.get()[0] + ": " + r);
        }
      }
    }
    long grown = heapAfterGc() - before;
    assertTrue(grown < 64L << 20, "heap grew by " + (grown >> 20) + " MiB over the sweep");
    assertEquals(200, RawHttp.exchange(port, get("GET", "/v2/health/ready"), 10_000).status());
    RawHttp.Reply ok = RawHttp.exchange(port, json(INFERS.get(1), "{\"inputs\":[" + OK_INPUT + "]}"), 10_000);
    assertEquals(200, ok.status(), ok.toString());
    assertEquals("[2.0,3.0,4.0,5.0]", new JsonObject(ok.body()).getJsonArray("outputs").getJsonObject(0)
        .getJsonArray("data").encode());
  }

  /** Heap in use after full collections (System.gc() is a synchronous full GC with the JVM's default flags). */
  private static long heapAfterGc() {
    Runtime rt = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return rt.totalMemory() - rt.freeMemory();
  }
}
