package io.coedge.api;

import io.coedge.cluster.ClusterView;
import io.coedge.cluster.NodeEntry;
import io.coedge.routing.PeerSelector;
import io.coedge.routing.PredictionErrors;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The live dashboard: {@code GET /dashboard} serves static files packed in the jar (loaded once, served from
 * memory: no file cache, nothing written at run time), and {@code GET /dashboard/routing} this node's own
 * routing picture that no other endpoint shows: the cost model's recent prediction errors and which cloud
 * nodes it has ejected. The page reads everything else from {@code /v2/cluster/*}, {@code /v2/models/stats}
 * and {@code /metrics}, polling. Access is gated like {@code /metrics} (see security.AccessRules).
 */
public final class DashboardRoutes {

  private static final String ROOT = "dashboard/";
  private static final Map<String, String> FILES = Map.of(
      "index.html", "text/html; charset=utf-8",
      "dashboard.js", "text/javascript; charset=utf-8",
      "dashboard.css", "text/css; charset=utf-8",
      "uPlot.iife.min.js", "text/javascript; charset=utf-8",
      "uPlot.min.css", "text/css; charset=utf-8");
  private static final String CSP = "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:;"
      + " frame-ancestors 'none'";

  private final Map<String, Buffer> files;
  private final ClusterView view;
  private final PredictionErrors errors;
  private final PeerSelector selector;

  /** {@code errors} and {@code selector} come from this node's router. */
  public DashboardRoutes(ClusterView view, PredictionErrors errors, PeerSelector selector) {
    this.view = view;
    this.errors = errors;
    this.selector = selector;
    this.files = load();
  }

  public void mount(Router router) {
    router.get("/dashboard").handler(ctx -> serve(ctx, "index.html"));
    router.get("/dashboard/").handler(ctx -> serve(ctx, "index.html"));
    router.get("/dashboard/routing").handler(this::routing);
    router.get("/dashboard/:file").handler(ctx -> {
      String name = ctx.pathParam("file");
      if (files.containsKey(name)) {
        serve(ctx, name);
      } else {
        V2Routes.json(ctx.response(), 404, new JsonObject().put("error", "no dashboard file '" + name + "'"));
      }
    });
  }

  private void serve(RoutingContext ctx, String name) {
    ctx.response().putHeader("content-type", FILES.get(name)).putHeader("cache-control", "no-cache")
        .putHeader("x-content-type-options", "nosniff").putHeader("content-security-policy", CSP)
        .end(files.get(name));
  }

  private void routing(RoutingContext ctx) {
    JsonArray peers = new JsonArray();
    for (NodeEntry e : view.nodes()) {
      if (e.record().role().equals("cloud") && !e.id().equals(view.nodeId())) {
        peers.add(new JsonObject().put("id", e.id()).put("ejected", selector.ejected(e.id())));
      }
    }
    V2Routes.json(ctx.response(), 200, new JsonObject().put("node", view.nodeId())
        .put("error", new JsonObject().put("local", finite(errors.median(false)))
            .put("remote", finite(errors.median(true))))
        .put("bias", new JsonObject().put("local", finite(errors.bias(false)))
            .put("remote", finite(errors.bias(true))))
        .put("peers", peers));
  }

  /** JSON has no NaN: "no predictions yet" is null. */
  private static Double finite(double d) {
    return Double.isFinite(d) ? d : null;
  }

  private static Map<String, Buffer> load() {
    Map<String, Buffer> out = new java.util.HashMap<>();
    for (String name : FILES.keySet()) {
      try (InputStream in = DashboardRoutes.class.getClassLoader().getResourceAsStream(ROOT + name)) {
        if (in == null) {
          throw new IllegalStateException("dashboard file " + ROOT + name + " is missing from the jar");
        }
        out.put(name, Buffer.buffer(in.readAllBytes()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return Map.copyOf(out);
  }
}
