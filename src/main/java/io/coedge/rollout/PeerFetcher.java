package io.coedge.rollout;

import io.coedge.security.Manifest;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.logging.Logger;

/**
 * Fetches one version's files from one peer into a staging directory: the manifest first (its sha256 must be the
 * rollout's), its signature, then each listed file streamed to disk under a {@link ByteBudget}, resumed with
 * {@code Range} from what a cut transfer or an earlier process left, and checked against its manifest sha256 as
 * soon as it is complete (a mismatch deletes it and refuses this peer). A write that fails here (a full disk) stops
 * the transfer at once, deletes the file it was writing (it may hold a gap) and fails with {@link StagingWriteFailed}:
 * the peer is not at fault. Installing is {@link VersionInstaller}'s.
 */
public final class PeerFetcher {

  /** Fetch progress: bytes held and the version's total. */
  public interface Progress {
    void update(long held, long total);
  }

  /** This node could not write a fetched file into its staging folder (e.g. no space left): not the peer's fault. */
  public static final class StagingWriteFailed extends IllegalStateException {
    StagingWriteFailed(Path file, Throwable cause) {
      super("cannot write " + file.getFileName() + " into " + file.getParent() + ": " + cause.getMessage()
          + " (this node's disk; the fetch is retried)", cause);
    }
  }

  private static final Logger LOG = Logger.getLogger(PeerFetcher.class.getName());
  static final long IDLE_TIMEOUT_S = 15;

  private final Vertx vertx;
  private final HttpClient client;
  private final String apiKey;
  private final ByteBudget budget;

  /** {@code apiKey}: this node's key for the {@code cluster} scope, or null when security is off. */
  public PeerFetcher(Vertx vertx, HttpClient client, String apiKey, ByteBudget budget) {
    this.vertx = vertx;
    this.client = client;
    this.apiKey = apiKey;
    this.budget = budget;
  }

  /**
   * Fills {@code staging} with {@code model/version} from the peer at {@code base} ({@code http(s)://host:port}).
   *
   * @param progress called with the bytes of listed files held so far and their total
   */
  public Future<Manifest> fetch(String base, String model, String version, String manifestSha256, Path staging,
      Progress progress) {
    return fetch(base, "/v2/cluster/files/", model, version, manifestSha256, staging, progress);
  }

  /** As above from another route of the peer: {@code /v2/cluster/data/} for the data bound to a model. */
  public Future<Manifest> fetch(String base, String route, String model, String version, String manifestSha256,
      Path staging, Progress progress) {
    String prefix = route + model + "/" + version + "/";
    return vertx.fileSystem().mkdirs(staging.toString())
        .compose(x -> small(base, prefix + Manifest.FILE, true))
        .compose(bytes -> {
          if (!Manifest.sha256(bytes.getBytes()).equals(manifestSha256)) {
            return Future.failedFuture(new IllegalStateException("the manifest from " + base
                + " is not the rollout's (sha256 differs)"));
          }
          Manifest m = Manifest.parse(bytes.getBytes());
          if (!m.name().equals(model) || !m.version().equals(version)) {
            return Future.failedFuture(new IllegalStateException("the manifest from " + base + " names "
                + m.name() + "/" + m.version()));
          }
          return write(staging.resolve(Manifest.FILE), bytes)
              .compose(y -> small(base, prefix + Manifest.SIGNATURE_FILE, false))
              .compose(sig -> sig == null ? deleteIfExists(staging.resolve(Manifest.SIGNATURE_FILE))
                  : write(staging.resolve(Manifest.SIGNATURE_FILE), sig))
              .compose(y -> files(base, prefix, m.files(), 0, staging, new long[1],
                  held -> progress.update(held, m.files().stream().mapToLong(Manifest.FileEntry::size).sum())))
              .map(m);
        });
  }

  private Future<Void> files(String base, String prefix, List<Manifest.FileEntry> files, int i, Path staging,
      long[] held, LongConsumer progress) {
    if (i == files.size()) {
      return Future.succeededFuture();
    }
    Manifest.FileEntry f = files.get(i);
    Path out = staging.resolve(f.path());
    return file(base, prefix + f.path(), f, out, held, progress)
        .compose(x -> vertx.executeBlocking(() -> Manifest.sha256(out)))
        .compose(sha -> {
          if (!sha.equals(f.sha256())) {
            return deleteIfExists(out).compose(y -> Future.failedFuture(new IllegalStateException("'" + f.path()
                + "' from " + base + " does not match the manifest (sha256 differs); deleted")));
          }
          return files(base, prefix, files, i + 1, staging, held, progress);
        });
  }

  /** Streams one file, resuming from the size already staged. */
  private Future<Void> file(String base, String uri, Manifest.FileEntry f, Path out, long[] held,
      LongConsumer progress) {
    return vertx.fileSystem().exists(out.toString())
        .compose(e -> e ? vertx.fileSystem().props(out.toString()).map(p -> p.size()) : Future.succeededFuture(0L))
        .compose(have -> {
          if (have == f.size()) {
            held[0] += have;
            progress.accept(held[0]);
            return Future.<Void>succeededFuture();
          }
          if (have > f.size()) {
            return deleteIfExists(out).compose(x -> file(base, uri, f, out, held, progress));
          }
          RequestOptions ro = options(base, uri);
          if (have > 0) {
            ro.putHeader("range", "bytes=" + have + "-");
            LOG.info("resuming " + out.getFileName() + " from " + base + " at byte " + have + " of " + f.size());
          }
          return client.request(ro).compose(req -> req.send()).compose(resp -> {
            resp.pause(); // until the file is open: no chunk may arrive before its handler
            boolean resumed = resp.statusCode() == 206;
            if (resp.statusCode() != 200 && !resumed) {
              resp.resume();
              return resp.body().compose(b -> Future.failedFuture(new IllegalStateException(base + " answered "
                  + resp.statusCode() + " for " + out.getFileName())));
            }
            OpenOptions oo = new OpenOptions().setWrite(true).setCreate(true);
            if (resumed) {
              oo.setAppend(true);
            } else {
              oo.setTruncateExisting(true);
            }
            held[0] += resumed ? have : 0;
            return vertx.fileSystem().open(out.toString(), oo)
                .recover(e -> Future.failedFuture(new StagingWriteFailed(out, e)))
                .compose(file -> stream(resp, file, out, held, progress))
                .recover(e -> e instanceof StagingWriteFailed
                    ? deleteIfExists(out).transform(x -> Future.<Void>failedFuture(e)) : Future.failedFuture(e));
          });
        });
  }

  /**
   * Copies the body to the file, pausing while the budget is in debt or the file's write queue is full; the first
   * write that fails resets the transfer and fails the copy with {@link StagingWriteFailed}.
   */
  private Future<Void> stream(HttpClientResponse resp, AsyncFile file, Path out, long[] held,
      LongConsumer progress) {
    Promise<Void> done = Promise.promise();
    Throwable[] writeError = new Throwable[1];
    boolean[] closed = new boolean[1];
    Consumer<Throwable> finish = cause -> {
      if (!closed[0]) {
        closed[0] = true;
        file.close().onComplete(x -> {
          if (writeError[0] != null || cause != null) {
            done.tryFail(writeError[0] != null ? writeError[0] : cause);
          } else {
            done.tryComplete();
          }
        });
      }
    };
    resp.exceptionHandler(finish::accept);
    resp.endHandler(v -> finish.accept(null));
    resp.handler(buf -> {
      if (writeError[0] != null) {
        return;
      }
      file.write(buf).onFailure(e -> {
        if (writeError[0] == null) {
          writeError[0] = new StagingWriteFailed(out, e);
          resp.request().reset(); // the rest of the body has nowhere to go
          finish.accept(null);
        }
      });
      held[0] += buf.length();
      progress.accept(held[0]);
      long waitNs = budget.take(buf.length());
      boolean full = file.writeQueueFull();
      if (waitNs > 0 || full) {
        resp.pause();
        Promise<Void> drained = Promise.promise();
        if (full) {
          file.drainHandler(x -> drained.tryComplete());
        } else {
          drained.complete();
        }
        Promise<Void> waited = Promise.promise();
        if (waitNs > 0) {
          vertx.setTimer(Math.max(1, waitNs / 1_000_000), t -> waited.complete());
        } else {
          waited.complete();
        }
        Future.all(drained.future(), waited.future()).onComplete(x -> resp.resume());
      }
    });
    resp.resume();
    return done.future();
  }

  /** A small file read whole; with {@code required} false a 404 gives null. */
  private Future<Buffer> small(String base, String uri, boolean required) {
    return client.request(options(base, uri)).compose(req -> req.send()).compose(resp -> resp.body().compose(b -> {
      if (resp.statusCode() == 200 && b.length() <= 64 * 1024) {
        return Future.succeededFuture(b);
      }
      if (resp.statusCode() == 404 && !required) {
        return Future.succeededFuture(null);
      }
      return Future.failedFuture(new IllegalStateException(base + " answered " + resp.statusCode() + " for "
          + uri.substring(uri.lastIndexOf('/') + 1)));
    }));
  }

  private Future<Void> write(Path file, Buffer bytes) {
    return vertx.fileSystem().writeFile(file.toString(), bytes)
        .recover(e -> Future.failedFuture(new StagingWriteFailed(file, e)));
  }

  private RequestOptions options(String base, String uri) {
    RequestOptions ro = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(base + uri)
        .setIdleTimeout(IDLE_TIMEOUT_S * 1000);
    if (apiKey != null) {
      ro.putHeader("x-api-key", apiKey);
    }
    return ro;
  }

  private Future<Void> deleteIfExists(Path p) {
    return vertx.fileSystem().exists(p.toString())
        .compose(e -> e ? vertx.fileSystem().delete(p.toString()) : Future.succeededFuture());
  }
}
