package io.coedge.routing;

import io.coedge.inference.ModelHandle;
import io.coedge.inference.ModelLoad;

/**
 * One request on its way through the router: the version it resolved (once), its validated batch rows, its
 * deadline (resolved once: the request's {@code timeout}, else the model's objective; 0 = none), the local
 * snapshot and the situation it was decided from.
 */
record Flow(Call call, ModelHandle model, int rows, Policy policy, long startNanos, long sloUs, ModelLoad load,
    OffloadPolicy.Situation situation) {

  String name() {
    return model.view().name();
  }

  boolean mayOffload() {
    return situation.mayOffload();
  }

  long elapsedUs(RoutingClock clock) {
    return (clock.nanos() - startNanos) / 1000;
  }

  /** What is left of the deadline, µs (negative once it passed); only meaningful when {@code sloUs > 0}. */
  long remainingUs(RoutingClock clock) {
    return sloUs - elapsedUs(clock);
  }

  /** A request id for log lines: "-" when the client sent none. */
  static String requestId(String id) {
    return id == null || id.isEmpty() ? "-" : id;
  }
}
