package io.coedge.bench;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * The HTTP + JSON ceiling of this machine: a Vert.x server, one event loop and one verticle per core,
 * that parses a JSON infer body as the gateway must (whole JSON with Vert.x/Jackson, every {@code data}
 * number read into a float array) and answers a fixed v2 response of the same size as sensor-anomaly's.
 * Any other body (the binary extension, a raw tensor) is read to its end and dropped, with the same answer.
 * No routing, scheduling or inference: whatever the gateway costs beyond this is the gateway's.
 *
 * <pre>TrivialServer [--port 8090] [--event-loops CORES]</pre>
 */
public final class TrivialServer extends VerticleBase {

  static final Buffer ANSWER = Buffer.buffer("{\"model_name\":\"sensor-anomaly\",\"model_version\":\"1\","
      + "\"outputs\":[{\"name\":\"probabilities\",\"datatype\":\"FP32\",\"shape\":[1,5],"
      + "\"data\":[0.97,0.01,0.01,0.005,0.005]}]}");
  static final Buffer READY = Buffer.buffer("{\"ready\":true}");

  private final int port;

  TrivialServer(int port) {
    this.port = port;
  }

  public static void main(String[] args) {
    BenchArgs.run("TrivialServer", "[--port 8090] [--event-loops N]", () -> {
      BenchArgs a = new BenchArgs(args, Set.of("port", "event-loops"));
      int port = a.integer("port", 8090, 1, 65535);
      int loops = a.integer("event-loops", Runtime.getRuntime().availableProcessors(), 1, 64);
      Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops));
      // Same-port listeners in several verticles: Vert.x spreads connections over the event loops.
      vertx.deployVerticle(() -> new TrivialServer(port), new DeploymentOptions().setInstances(loops)).await();
      System.out.println("TrivialServer listening on 127.0.0.1:" + port + " with " + loops + " event loops, pid "
          + ProcessHandle.current().pid());
    });
  }

  @Override
  public Future<?> start() {
    return vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port).setTcpNoDelay(true))
        .requestHandler(this::handle).listen();
  }

  private void handle(HttpServerRequest req) {
    if (req.path().endsWith("/ready")) {
      req.response().putHeader("content-type", "application/json").end(READY);
      return;
    }
    if (req.path().equals("/v1/traces")) { // an OTLP/HTTP sink for the tracing bench: every export accepted
      req.body().onSuccess(b -> req.response().putHeader("content-type", "application/x-protobuf").end());
      return;
    }
    req.body().onSuccess(body -> {
      if (!isJson(req)) {
        req.response().putHeader("content-type", "application/json").end(ANSWER);
        return;
      }
      float checksum;
      try {
        checksum = readFloats(body);
      } catch (RuntimeException e) {
        req.response().setStatusCode(400).end("{\"error\":\"bad body\"}");
        return;
      }
      // The checksum is sent back so the JIT cannot drop the parsing as dead code.
      req.response().putHeader("content-type", "application/json").putHeader("x-checksum", Float.toString(checksum))
          .end(ANSWER);
    });
  }

  /** A JSON body, to parse: not a binary-extension body and not declared as raw bytes. */
  static boolean isJson(HttpServerRequest req) {
    return req.getHeader("Inference-Header-Content-Length") == null
        && !"application/octet-stream".equals(req.getHeader("content-type"));
  }

  /** Parses the body and reads every input's data into a float array, returning their sum. */
  static float readFloats(Buffer body) {
    JsonArray inputs = new JsonObject(body).getJsonArray("inputs");
    float sum = 0;
    for (int i = 0; i < inputs.size(); i++) {
      JsonArray data = inputs.getJsonObject(i).getJsonArray("data");
      float[] values = new float[data.size()];
      for (int j = 0; j < values.length; j++) {
        values[j] = ((Number) data.getValue(j)).floatValue();
        sum += values[j];
      }
    }
    return sum;
  }
}
