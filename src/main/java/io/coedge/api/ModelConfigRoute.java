package io.coedge.api;

import io.coedge.inference.InferenceEngine;
import io.coedge.inference.ModelConfig;
import io.coedge.inference.ModelVersion;
import io.coedge.inference.TensorSpec;
import io.coedge.inference.VersionPolicy;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.TreeSet;

/**
 * {@code GET /v2/models/{m}[/versions/{v}]/config}: the model's effective configuration in Triton's field names
 * (model_config.proto) where one exists, Coedge's own under {@code parameters}, so tools that read a Triton config
 * understand it.
 */
public final class ModelConfigRoute {

  private final InferenceEngine engine;

  public ModelConfigRoute(InferenceEngine engine) {
    this.engine = engine;
  }

  public void mount(Router router) {
    router.get("/v2/models/:model/config").handler(this::config);
    router.get("/v2/models/:model/versions/:version/config").handler(this::config);
  }

  private void config(RoutingContext ctx) {
    ModelVersion m = engine.resolve(ctx.pathParam("model"), ctx.pathParam("version"));
    ModelConfig c = m.config();
    JsonObject queue = new JsonObject().put("max_queue_size", c.maxQueue())
        .put("default_timeout_microseconds", c.timeoutUs());
    JsonObject out = new JsonObject()
        .put("name", m.name())
        .put("platform", "onnxruntime_onnx")
        .put("backend", "onnxruntime")
        .put("version_policy", policy(engine.control().policy(m.name())))
        .put("max_batch_size", c.maxBatchSize())
        .put("input", tensors(m.inputs(), batched(m)))
        .put("output", tensors(m.outputs(), batched(m)))
        .put("dynamic_batching", new JsonObject().put("max_queue_delay_microseconds", c.maxQueueDelayUs())
            .put("default_queue_policy", queue))
        .put("parameters", new JsonObject()
            .put("policy", param(c.policy()))
            .put("cascade_target", param(c.cascadeTarget()))
            .put("cascade_threshold", param(Double.toString(c.cascadeThreshold())))
            .put("labels", param(String.join(",", c.labels()))));
    ctx.response().setStatusCode(200).putHeader("content-type", "application/json").end(out.toBuffer());
  }

  /** Triton's ModelParameter: {@code {"string_value": ...}}. */
  private static JsonObject param(String value) {
    return new JsonObject().put("string_value", value);
  }

  static JsonObject policy(VersionPolicy p) {
    if (!p.specific().isEmpty()) {
      return new JsonObject().put("specific", new JsonObject().put("versions",
          new JsonArray(List.copyOf(new TreeSet<>(p.specific())))));
    }
    if (p.latest() == Integer.MAX_VALUE) {
      return new JsonObject().put("all", new JsonObject());
    }
    return new JsonObject().put("latest", new JsonObject().put("num_versions", p.latest()));
  }

  /** Batched as Triton means it: a max batch size and a leading dynamic dimension on every tensor. */
  private static boolean batched(ModelVersion m) {
    return m.config().maxBatchSize() > 0 && m.inputs().stream().allMatch(t -> t.shape().length > 0
        && t.shape()[0] == -1);
  }

  /** Triton leaves the batch dimension out of {@code dims} when {@code max_batch_size} > 0. */
  private static JsonArray tensors(List<TensorSpec> specs, boolean batched) {
    JsonArray a = new JsonArray();
    for (TensorSpec s : specs) {
      JsonArray dims = new JsonArray();
      for (int i = batched && s.shape().length > 0 ? 1 : 0; i < s.shape().length; i++) {
        dims.add(s.shape()[i]);
      }
      a.add(new JsonObject().put("name", s.name()).put("data_type", "TYPE_" + (s.type().name().equals("BYTES")
          ? "STRING" : s.type().name())).put("dims", dims));
    }
    return a;
  }
}
