package io.coedge.api;

import io.coedge.cluster.ClusterView;
import io.coedge.cluster.NodeEntry;
import io.coedge.cluster.RecordCodec;
import io.coedge.cluster.VersionRecord;
import io.coedge.cluster.VersionSet;
import io.coedge.routing.Hop;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.List;

/**
 * Coedge's cluster endpoints (DESIGN §3.2): {@code GET /v2/cluster/nodes}, the node table as this node sees it,
 * and {@code GET /v2/cluster/versions}, the shared version table with current versions and conflicts. Both read
 * the local view only, so they answer even while the cluster is partitioned. {@code POST /v2/cluster/probe} takes
 * a peer's bandwidth probe.
 */
public final class ClusterRoutes {

  private final ClusterView view;
  private final long staleAfterMs;

  public ClusterRoutes(ClusterView view, long staleAfterMs) {
    this.view = view;
    this.staleAfterMs = staleAfterMs;
  }

  public void mount(Router router) {
    router.get("/v2/cluster/nodes").handler(this::nodes);
    router.get("/v2/cluster/versions").handler(this::versions);
    // A peer's bandwidth probe: the body is read (that is what is timed) and its size answered.
    router.post(Hop.PROBE_PATH).handler(BodyHandler.create(false).setBodyLimit(Hop.PROBE_MAX_BYTES))
        .handler(ctx -> V2Routes.json(ctx.response(), 200, new JsonObject().put("bytes", ctx.body().length())));
  }

  private void nodes(RoutingContext ctx) {
    JsonArray nodes = new JsonArray();
    for (NodeEntry e : view.nodes()) {
      JsonObject o = RecordCodec.toJson(e.record());
      o.remove("format");
      nodes.add(o.put("ageMs", e.ageMs()).put("fresh", e.fresh()).put("state", e.state()));
    }
    V2Routes.json(ctx.response(), 200, new JsonObject().put("node", view.nodeId()).put("joined", view.joined())
        .put("staleAfterMs", staleAfterMs).put("nodes", nodes));
  }

  private void versions(RoutingContext ctx) {
    VersionSet set = view.versions();
    List<NodeEntry> nodes = view.nodes();
    JsonArray artifacts = new JsonArray();
    for (VersionSet.Versions a : set.artifacts()) {
      JsonArray versions = new JsonArray();
      for (VersionRecord r : a.entries()) {
        JsonArray holders = new JsonArray();
        nodes.stream().filter(n -> n.fresh() && r.artifact().kind().equals("model")
                && n.record().serves(a.name(), r.artifact().version(), r.artifact().sha256()))
            .forEach(n -> holders.add(n.id()));
        boolean conflict = a.entries().stream().filter(o -> o.artifact().version().equals(r.artifact().version()))
            .count() > 1;
        versions.add(new JsonObject().put("version", r.artifact().version()).put("sha256", r.artifact().sha256())
            .put("size", r.artifact().size()).put("publisher", r.publisher()).put("published", r.published().toString())
            .put("signed", r.artifact().signature() != null).put("manifest", r.artifact().manifest())
            .put("signer", r.artifact().signer()).put("holders", holders).put("conflict", conflict));
      }
      artifacts.add(new JsonObject().put("kind", a.kind()).put("name", a.name())
          .put("current", a.current() == null ? null : a.current().artifact().version()).put("versions", versions));
    }
    JsonArray conflicts = new JsonArray();
    for (VersionSet.Conflict c : set.conflicts()) {
      JsonArray shas = new JsonArray();
      c.entries().forEach(r -> shas.add(r.artifact().sha256()));
      conflicts.add(new JsonObject().put("kind", c.kind()).put("name", c.name()).put("version", c.version())
          .put("sha256", shas));
    }
    V2Routes.json(ctx.response(), 200, new JsonObject().put("artifacts", artifacts).put("conflicts", conflicts));
  }
}
