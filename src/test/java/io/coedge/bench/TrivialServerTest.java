package io.coedge.bench;

import static io.coedge.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.coedge.Http;
import io.coedge.Ports;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The zero-compute server the benchmarks measure the machine's HTTP cost with, over real HTTP on 127.0.0.1. */
@Timeout(60)
class TrivialServerTest {

  private static final String INFER = "/v2/models/sensor-anomaly/infer";
  private static Vertx vertx;
  private static Http http;

  @BeforeAll
  static void start() {
    int port = Ports.free();
    vertx = Vertx.vertx();
    await(vertx.deployVerticle(new TrivialServer(port)));
    http = new Http(port, 4);
  }

  @AfterAll
  static void stop() {
    http.close();
    await(vertx.close());
  }

  private static HttpResponse<Buffer> post(Payload p) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("content-type", p.contentType());
    if (p.jsonLength() >= 0) {
      headers.add("Inference-Header-Content-Length", String.valueOf(p.jsonLength()));
    }
    return http.post(INFER, p.body(), headers);
  }

  @Test
  void aJsonBodyIsParsedIntoFloatsAndAnsweredWithTheFixedResponse() throws Exception {
    HttpResponse<Buffer> r = post(Payload.of("sensor", -1));
    assertEquals(200, r.statusCode());
    assertEquals(TrivialServer.ANSWER, r.body());
    assertEquals(TrivialServer.readFloats(Buffer.buffer(Payload.SENSOR_JSON)),
        Float.parseFloat(r.getHeader("x-checksum")));
  }

  @Test
  void binaryBodiesAreAcceptedAndDropped() throws Exception {
    for (String kind : new String[] {"mlp-bin", "frame"}) {
      HttpResponse<Buffer> r = post(Payload.of(kind, -1));
      assertEquals(200, r.statusCode(), kind);
      assertEquals(TrivialServer.ANSWER, r.body(), kind);
    }
  }

  @Test
  void aJsonBodyThatDoesNotParseIs400() {
    HttpResponse<Buffer> r = http.post(INFER, new JsonObject().put("inputs", "not an array"));
    assertEquals(400, r.statusCode());
  }
}
