package io.coedge.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A draining version closes once, after its last request, and takes no new one. */
class LeaseTest {

  @Test
  void drainWaitsForTheLastRequestThenRunsOnce() {
    Lease lease = new Lease();
    AtomicInteger closed = new AtomicInteger();
    assertTrue(lease.acquire());
    assertTrue(lease.acquire());
    lease.drain(closed::incrementAndGet);
    assertFalse(lease.acquire(), "a draining version takes no new request");
    lease.release();
    assertEquals(0, closed.get());
    assertEquals(1, lease.inFlight());
    lease.release();
    assertEquals(1, closed.get());
    lease.drain(closed::incrementAndGet);
    assertEquals(1, closed.get(), "runs once");
  }

  @Test
  void drainOfAnIdleVersionRunsAtOnce() {
    Lease lease = new Lease();
    AtomicInteger closed = new AtomicInteger();
    lease.drain(closed::incrementAndGet);
    assertEquals(1, closed.get());
    assertFalse(lease.acquire());
  }
}
