package io.coedge.security;

import io.coedge.Gateway;
import io.coedge.Eventually;
import io.coedge.TestNodes;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** A real gateway over the test models with authentication on, and a client that sends credentials. */
final class AuthFixture implements AutoCloseable {

  static final JsonObject ADD_ONE_BODY = new JsonObject().put("inputs", new JsonArray().add(new JsonObject()
      .put("name", "x").put("shape", new JsonArray().add(1).add(4)).put("datatype", "FP32")
      .put("data", new JsonArray().add(1).add(2).add(3).add(4))));

  final Gateway node;
  private final Vertx vertx = Vertx.vertx();
  private final WebClient client;

  AuthFixture(Map<String, String> config) throws Exception {
    node = TestNodes.start(TestNodes.TEST_MODELS, config);
    client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(node.port()),
        new PoolOptions().setHttp1MaxSize(16));
  }

  /** One key-file entry; {@code models} null = every model. */
  static String entry(String id, String key, String scopes, String models) {
    return "  - id: " + id + "\n    hash: " + KeyHash.of(key).text() + "\n    scopes: [" + scopes + "]\n"
        + (models == null ? "" : "    models: [" + models + "]\n");
  }

  /** A node with API keys on: {@code inferKey} with the infer scope, {@code adminKey} with admin. */
  static AuthFixture inferAndAdmin(Path dir, String inferKey, String adminKey) throws Exception {
    Path keys = writeKeys(dir.resolve("keys.yaml"), entry("client", inferKey, "infer", null),
        entry("ops", adminKey, "admin", null));
    return new AuthFixture(Map.of("security.auth.mode", "keys", "security.auth.key-file", keys.toString()));
  }

  static Path writeKeys(Path file, String... entries) throws IOException {
    Files.writeString(file, "keys:\n" + String.join("", entries));
    return file;
  }

  Future<HttpResponse<Buffer>> send(HttpMethod method, String path, MultiMap headers, JsonObject body) {
    var req = client.request(method, path).putHeaders(headers);
    return body == null ? req.send() : req.putHeader("content-type", "application/json").sendBuffer(body.toBuffer());
  }

  HttpResponse<Buffer> get(String path, String... headers) {
    return Eventually.await(send(HttpMethod.GET, path, headers(headers), null));
  }

  HttpResponse<Buffer> infer(String model, String... headers) {
    return Eventually.await(send(HttpMethod.POST, "/v2/models/" + model + "/infer", headers(headers), ADD_ONE_BODY));
  }

  static MultiMap headers(String... nameValue) {
    MultiMap m = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i + 1 < nameValue.length; i += 2) {
      m.add(nameValue[i], nameValue[i + 1]);
    }
    return m;
  }

  static String error(HttpResponse<Buffer> r) {
    return r.bodyAsJsonObject().getString("error");
  }

  @Override
  public void close() throws Exception {
    client.close();
    Eventually.await(vertx.close());
    TestNodes.stop(node);
  }
}
