package io.coedge.bench;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLSession;

/**
 * The generator's Vert.x and its HTTP client: keep-alive, no pipelining (one request per connection at a time,
 * like ordinary v2 clients), a pool large enough that the in-flight cap binds before the pool does. Over HTTP/2
 * the same number of concurrent streams is spread over {@link Transport#h2Connections} connections. Reused across
 * the runs of one process so that connections (and their TLS sessions) stay warm; counts the connections it
 * opened, each one a TLS handshake when the transport is HTTPS.
 */
final class LoadClient implements AutoCloseable {

  static final int DEFAULT_POOL = 256;

  private final Vertx vertx;
  private final Transport transport;
  private final HttpClientAgent[] clients;
  private final Context[] contexts;
  private final AtomicLong connections = new AtomicLong();
  private final AtomicReference<String> tlsSession = new AtomicReference<>();
  private final AtomicReference<String> httpVersion = new AtomicReference<>();

  LoadClient(int eventLoops, int poolSize, Transport transport) {
    this.transport = transport;
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(eventLoops));
    clients = new HttpClientAgent[transport.h2() ? transport.h2Connections() : 1];
    for (int i = 0; i < clients.length; i++) {
      HttpClientOptions options = transport.clientOptions();
      PoolOptions pool = new PoolOptions().setEventLoopSize(eventLoops);
      if (transport.h2()) {
        // One connection per client; its streams capped so that the pool's total matches HTTP/1.1's (the server's
        // own SETTINGS_MAX_CONCURRENT_STREAMS lowers it further).
        options.setHttp2MultiplexingLimit((poolSize + clients.length - 1) / clients.length);
        pool.setHttp2MaxSize(1);
      } else {
        pool.setHttp1MaxSize(poolSize);
      }
      clients[i] = vertx.httpClientBuilder().with(options).with(pool).withConnectHandler(this::connected).build();
    }
    // Called from a non-Vert.x thread, each call yields a new context on the next event loop: one per loop.
    contexts = new Context[eventLoops];
    for (int i = 0; i < eventLoops; i++) {
      contexts[i] = vertx.getOrCreateContext();
    }
  }

  LoadResult run(LoadSpec spec, long serverPid) throws InterruptedException {
    return new OpenLoopRun(spec, clients, contexts, httpVersion).run(serverPid);
  }

  /**
   * Adds how the requests travelled to a result line: the transport asked for, the protocol the server answered
   * with, connections opened so far (each a TLS handshake over HTTPS) and the TLS version and cipher suite.
   */
  JsonObject describe(JsonObject line) {
    line.put("transport", transport.describe()).put("http_version", httpVersion.get())
        .put("connections_opened", connections.get());
    if (tlsSession.get() != null) {
      line.put("tls", tlsSession.get());
    }
    return line;
  }

  private void connected(HttpConnection c) {
    connections.incrementAndGet();
    SSLSession s = c.isSsl() ? c.sslSession() : null;
    if (s != null) {
      tlsSession.compareAndSet(null, s.getProtocol() + " " + s.getCipherSuite());
    }
  }

  @Override
  public void close() throws Exception {
    for (HttpClientAgent c : clients) {
      c.close().await(10, TimeUnit.SECONDS);
    }
    vertx.close().await(10, TimeUnit.SECONDS);
  }
}
