package io.coedge.routing;

/** A clock tests move by hand: one counter, seen as nanos and as wall-clock millis. */
final class FakeClock implements RoutingClock {

  private long nanos = 1_000_000_000_000L;

  @Override
  public long nanos() {
    return nanos;
  }

  @Override
  public long millis() {
    return nanos / 1_000_000;
  }

  void advanceMs(long ms) {
    nanos += ms * 1_000_000;
  }
}
