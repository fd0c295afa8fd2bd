package io.coedge.cluster;

import java.util.function.LongSupplier;

/**
 * A hybrid logical clock (Kulkarni et al., 2014): timestamps stay close to wall-clock milliseconds, never go
 * backwards on one node, and order a publication after every timestamp this node has observed, even when
 * wall clocks disagree a little. Remote timestamps more than {@code maxDriftMs} ahead of this node's wall
 * clock are not observed (the map is untrusted input: one bogus far-future entry must not drag every
 * clock along). Thread-safe; pure apart from the injected wall clock.
 */
public final class HybridLogicalClock {

  /**
   * One HLC reading: wall-clock milliseconds and a counter that orders events within one millisecond.
   * Ordered by {@code ms}, then {@code counter}.
   */
  public record Timestamp(long ms, int counter) implements Comparable<Timestamp> {

    public Timestamp {
      if (ms < 0 || counter < 0) {
        throw new IllegalArgumentException("HLC timestamp must not be negative: " + ms + "." + counter);
      }
    }

    @Override
    public int compareTo(Timestamp o) {
      int c = Long.compare(ms, o.ms);
      return c != 0 ? c : Integer.compare(counter, o.counter);
    }

    @Override
    public String toString() {
      return ms + "." + counter;
    }
  }

  private final LongSupplier wallMillis;
  private final long maxDriftMs;
  private long last;
  private int counter;

  public HybridLogicalClock(LongSupplier wallMillis, long maxDriftMs) {
    this.wallMillis = wallMillis;
    this.maxDriftMs = maxDriftMs;
  }

  /** A timestamp for a local event (a publication): later than every earlier one from this clock. */
  public synchronized Timestamp now() {
    long wall = wallMillis.getAsLong();
    if (wall > last) {
      last = wall;
      counter = 0;
    } else {
      counter++;
    }
    return new Timestamp(last, counter);
  }

  /**
   * Folds in a timestamp read from another node so that later local timestamps order after it.
   *
   * @return false, and nothing changes, when {@code remote} is more than {@code maxDriftMs} ahead of this wall clock
   */
  public synchronized boolean observe(Timestamp remote) {
    long wall = wallMillis.getAsLong();
    if (remote.ms() > wall + maxDriftMs) {
      return false;
    }
    long next = Math.max(Math.max(last, remote.ms()), wall);
    if (next == last && next == remote.ms()) {
      counter = Math.max(counter, remote.counter());
    } else if (next == remote.ms()) {
      counter = remote.counter();
    } else if (next != last) {
      counter = 0;
    }
    last = next;
    return true;
  }
}
