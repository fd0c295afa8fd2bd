package io.coedge.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.coedge.Http;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;

/** Small helpers shared by the lifecycle tests. */
final class ModelSwapTestSupport {

  private ModelSwapTestSupport() {
  }

  /** The version that answers an unpinned add-one style request for {@code model}. */
  static String served(Http http, String model) {
    HttpResponse<Buffer> r = http.post("/v2/models/" + model + "/infer", InferenceApiTest.addOneRequest(1, 2, 3, 4));
    assertEquals(200, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject().getString("model_version");
  }
}
