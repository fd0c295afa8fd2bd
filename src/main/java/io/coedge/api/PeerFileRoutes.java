package io.coedge.api;

import io.coedge.inference.InferenceException;
import io.coedge.security.Manifest;
import io.vertx.core.Future;
import io.vertx.core.file.FileProps;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code GET /v2/cluster/files/{model}/{version}/{file}}: a version's files for peers fetching it during a
 * rollout (cluster or admin scope, as every {@code /v2/cluster/*} path). Only versions with a
 * {@code MANIFEST.json}, and only the manifest, its signature and the files it lists, are served; plain names
 * only, so nothing outside the repository can be named. {@code Range: bytes=N-} resumes a cut transfer (206).
 */
public final class PeerFileRoutes {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  private static final Pattern RANGE = Pattern.compile("bytes=(\\d{1,18})-");
  private final Path models;
  private final String route;

  public PeerFileRoutes(Path models) {
    this(models, "/v2/cluster/files");
  }

  /** The same for another folder under another route: {@code models/.data} under {@code /v2/cluster/data}. */
  public PeerFileRoutes(Path dir, String route) {
    this.models = dir;
    this.route = route;
  }

  public void mount(Router router) {
    router.get(route + "/:model/:version/:file").handler(this::serve);
  }

  private void serve(RoutingContext ctx) {
    String model = ctx.pathParam("model");
    String version = ctx.pathParam("version");
    String file = ctx.pathParam("file");
    for (String s : new String[] {model, version, file}) {
      if (!NAME.matcher(s).matches()) {
        throw InferenceException.invalid("model, version and file must be plain names (letters, digits, . _ -)");
      }
    }
    Path dir = models.resolve(model).resolve(version);
    Path manifest = dir.resolve(Manifest.FILE);
    listed(ctx, manifest, file).compose(ok -> ctx.vertx().fileSystem().lprops(dir.resolve(file).toString())
        .recover(e -> Future.failedFuture(notFound(model, version, file)))).onSuccess(props -> {
          if (!props.isRegularFile()) {
            ctx.fail(notFound(model, version, file));
            return;
          }
          send(ctx, dir.resolve(file), props);
        }).onFailure(ctx::fail);
  }

  /** Succeeds when {@code file} is the manifest, its signature or a file the manifest lists. */
  private static Future<Void> listed(RoutingContext ctx, Path manifest, String file) {
    return ctx.vertx().fileSystem().readFile(manifest.toString())
        .recover(e -> Future.failedFuture(InferenceException.notFound("this node has no signed-manifest copy of "
            + "that version")))
        .compose(bytes -> {
          if (file.equals(Manifest.FILE) || file.equals(Manifest.SIGNATURE_FILE)) {
            return Future.succeededFuture();
          }
          try {
            boolean listed = Manifest.parse(bytes.getBytes()).files().stream().anyMatch(f -> f.path().equals(file));
            return listed ? Future.succeededFuture()
                : Future.failedFuture(InferenceException.notFound("'" + file + "' is not in the version's manifest"));
          } catch (IllegalArgumentException e) {
            return Future.failedFuture(InferenceException.notFound("this node's manifest of that version is invalid"));
          }
        });
  }

  private static void send(RoutingContext ctx, Path file, FileProps props) {
    long size = props.size();
    String range = ctx.request().getHeader("range");
    long from = 0;
    if (range != null) {
      Matcher m = RANGE.matcher(range.trim());
      if (!m.matches() || Long.parseLong(m.group(1)) > size) {
        ctx.response().putHeader("content-range", "bytes */" + size);
        Failures.send(ctx.response(), 416, "only 'Range: bytes=N-' with N at most " + size + " is served", 0);
        return;
      }
      from = Long.parseLong(m.group(1));
      ctx.response().setStatusCode(206).putHeader("content-range",
          "bytes " + from + "-" + Math.max(from, size - 1) + "/" + size);
    }
    ctx.response().putHeader("accept-ranges", "bytes").putHeader("content-type", "application/octet-stream");
    ctx.response().sendFile(file.toString(), from, size - from).onFailure(e -> ctx.response().reset());
  }

  private static InferenceException notFound(String model, String version, String file) {
    return InferenceException.notFound("no file " + model + "/" + version + "/" + file + " here");
  }
}
