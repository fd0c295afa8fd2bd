package io.coedge.bench;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import java.util.concurrent.TimeUnit;

/**
 * The generator's Vert.x and its HTTP/1.1 client: keep-alive, no pipelining (one request per connection at a
 * time, like ordinary v2 clients), a pool large enough that the in-flight cap binds before the pool does.
 * Reused across the runs of one process so that connections stay warm.
 */
final class LoadClient implements AutoCloseable {

  static final int DEFAULT_POOL = 256;

  private final Vertx vertx;
  private final HttpClientAgent client;
  private final Context[] contexts;

  LoadClient(int eventLoops, int poolSize) {
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(eventLoops));
    client = vertx.createHttpClient(
        new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_1_1).setKeepAlive(true).setPipelining(false)
            .setTcpNoDelay(true).setKeepAliveTimeout(120),
        new PoolOptions().setHttp1MaxSize(poolSize).setEventLoopSize(eventLoops));
    // Called from a non-Vert.x thread, each call yields a new context on the next event loop: one per loop.
    contexts = new Context[eventLoops];
    for (int i = 0; i < eventLoops; i++) {
      contexts[i] = vertx.getOrCreateContext();
    }
  }

  LoadResult run(LoadSpec spec, long serverPid) throws InterruptedException {
    return new OpenLoopRun(spec, client, contexts).run(serverPid);
  }

  @Override
  public void close() throws Exception {
    client.close().await(10, TimeUnit.SECONDS);
    vertx.close().await(10, TimeUnit.SECONDS);
  }
}
