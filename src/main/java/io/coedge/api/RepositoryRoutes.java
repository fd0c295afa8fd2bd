package io.coedge.api;

import io.coedge.inference.InferenceException;
import io.coedge.inference.ModelControl;
import io.coedge.inference.ModelVersion;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * Triton's model repository extension (admin scope, see AccessRules): {@code POST /v2/repository/index} lists every
 * version with its state (READY, LOADING, UNLOADING, UNAVAILABLE) and reason; {@code .../models/{m}/load} loads or
 * reloads a model, optionally with {@code parameters.config} overriding its config.yaml; {@code .../unload} drains it.
 */
public final class RepositoryRoutes {

  static final int MAX_BODY = 64 * 1024;
  private final ModelControl control;

  public RepositoryRoutes(ModelControl control) {
    this.control = control;
  }

  public void mount(Router router) {
    BodyHandler body = BodyHandler.create(false).setBodyLimit(MAX_BODY);
    router.post("/v2/repository/index").handler(body).handler(this::index);
    router.post("/v2/repository/models/:model/load").handler(body).handler(this::load);
    router.post("/v2/repository/models/:model/unload").handler(body).handler(this::unload);
  }

  private void index(RoutingContext ctx) {
    boolean readyOnly = object(ctx).getValue("ready") instanceof Boolean b && b;
    JsonArray out = new JsonArray();
    for (ModelVersion v : control.index()) {
      if (readyOnly && !v.ready()) {
        continue;
      }
      JsonObject o = new JsonObject().put("name", v.name()).put("version", v.version()).put("state", state(v));
      String reason = v.state() == ModelVersion.State.UNLOADED ? "unloaded" : v.error();
      o.put("reason", reason == null ? "" : reason);
      if (v.sha256() != null) {
        o.put("sha256", v.sha256());
      }
      if (v.manifestSha256() != null) {
        o.put("manifest_sha256", v.manifestSha256());
      }
      if (v.signerKeyId() != null) {
        o.put("signer_key_id", v.signerKeyId());
      }
      out.add(o);
    }
    ctx.response().setStatusCode(200).putHeader("content-type", "application/json").end(out.toBuffer());
  }

  /** Triton's state names: a draining version is UNLOADING, a failed or unloaded one UNAVAILABLE. */
  public static String state(ModelVersion v) {
    return switch (v.state()) {
      case READY -> "READY";
      case LOADING -> "LOADING";
      case DRAINING -> "UNLOADING";
      case FAILED, UNLOADED -> "UNAVAILABLE";
    };
  }

  private void load(RoutingContext ctx) {
    JsonObject params = object(ctx).getValue("parameters") instanceof JsonObject p ? p : new JsonObject();
    Object config = params.getValue("config");
    if (config != null && !(config instanceof String)) {
      throw InferenceException.invalid("parameters.config must be a string holding the model's config (JSON or "
          + "YAML)");
    }
    answer(ctx, control.load(ctx.pathParam("model"), (String) config).mapEmpty());
  }

  private void unload(RoutingContext ctx) {
    object(ctx);
    answer(ctx, control.unload(ctx.pathParam("model")));
  }

  /** Ends the exchange on its own context: the control thread completes {@code f}. */
  private static void answer(RoutingContext ctx, Future<Void> f) {
    Context here = ctx.vertx().getOrCreateContext();
    f.onComplete(ar -> here.runOnContext(v -> {
      if (ar.succeeded()) {
        ctx.response().setStatusCode(200).putHeader("content-type", "application/json").end("{}");
      } else {
        ctx.fail(ar.cause());
      }
    }));
  }

  /** The optional JSON object body; anything else is a 400. */
  static JsonObject object(RoutingContext ctx) {
    Buffer b = ctx.body().buffer();
    if (b == null || b.length() == 0) {
      return new JsonObject();
    }
    try {
      Object v = Json.decodeValue(b);
      if (v instanceof JsonObject o) {
        return o;
      }
    } catch (DecodeException e) {
      // answered below
    }
    throw InferenceException.invalid("request body must be a JSON object");
  }
}
