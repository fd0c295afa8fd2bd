package io.coedge.api.grpc;

import io.vertx.grpc.server.GrpcServerRequest;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts the gRPC calls (streams) open on a node, for the {@code coedge_grpc_open_streams} gauge: a call counts from
 * its headers until it ends, whichever way (answered, failed, cancelled by the client, reset, connection closed).
 */
final class OpenCalls {

  private final AtomicInteger open = new AtomicInteger();

  /** One open call; {@link #close()} is idempotent. */
  final class Open {
    private final AtomicBoolean closed = new AtomicBoolean();

    void close() {
      if (closed.compareAndSet(false, true)) {
        open.decrementAndGet();
      }
    }

    boolean closed() {
      return closed.get();
    }
  }

  /** Counts {@code call} from now until it is answered ({@link Open#close()}) or its stream dies. */
  Open opened(GrpcServerRequest<?, ?> call) {
    open.incrementAndGet();
    Open o = new Open();
    call.exceptionHandler(err -> o.close());
    call.errorHandler(err -> o.close());
    call.response().exceptionHandler(err -> o.close());
    return o;
  }

  int count() {
    return open.get();
  }
}
