package io.coedge.routing;

/** Time for the routing parts, injected so tests can feed synthetic latencies. */
public interface RoutingClock {

  RoutingClock SYSTEM = new RoutingClock() {
    @Override
    public long nanos() {
      return System.nanoTime();
    }

    @Override
    public long millis() {
      return System.currentTimeMillis();
    }
  };

  /** Monotonic time for durations. */
  long nanos();

  /** Wall-clock time, comparable with the {@code writtenAt} of node records. */
  long millis();
}
