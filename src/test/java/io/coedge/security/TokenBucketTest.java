package io.coedge.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenBucketTest {

  final AtomicLong now = new AtomicLong(5_000_000_000L);

  void advanceMs(long ms) {
    now.addAndGet(ms * 1_000_000);
  }

  @Test
  void aFullBucketLetsBurstThroughThenSaysHowLongToWait() {
    TokenBucket b = new TokenBucket(new Limit(2, 3), now::get);
    for (int i = 0; i < 3; i++) {
      assertEquals(0, b.take());
    }
    long wait = b.take();
    assertEquals(500_000_000L, wait, "at 2 tokens/s the next one is 0.5 s away");
    advanceMs(250);
    assertEquals(250_000_000L, b.take());
    advanceMs(250);
    assertEquals(0, b.take());
    assertTrue(b.take() > 0);
  }

  @Test
  void refillNeverExceedsTheBurst() {
    TokenBucket b = new TokenBucket(new Limit(10, 2), now::get);
    advanceMs(60_000);
    assertEquals(0, b.take());
    assertEquals(0, b.take());
    assertTrue(b.take() > 0);
    assertTrue(!b.idle());
    advanceMs(200);
    assertTrue(b.idle());
  }

  @Test
  void zeroRateMeansUnlimited() {
    TokenBucket b = new TokenBucket(new Limit(0, 1), now::get);
    for (int i = 0; i < 1000; i++) {
      assertEquals(0, b.take());
    }
  }

  @Test
  void manyThreadsTogetherGetExactlyTheBurstWhenTimeStandsStill() throws Exception {
    TokenBucket b = new TokenBucket(new Limit(1, 100), now::get);
    AtomicInteger granted = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    CountDownLatch go = new CountDownLatch(1);
    for (int t = 0; t < 8; t++) {
      pool.execute(() -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          return;
        }
        for (int i = 0; i < 100; i++) {
          if (b.take() == 0) {
            granted.incrementAndGet();
          }
        }
      });
    }
    go.countDown();
    pool.shutdown();
    assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
    assertEquals(100, granted.get());
  }

  @Test
  void eachCallerHasItsOwnBucket() {
    RateLimiter r = new RateLimiter(new Limit(1, 2), 100, now::get);
    assertEquals(0, r.take("key:a", null));
    assertEquals(0, r.take("key:a", null));
    assertTrue(r.take("key:a", null) > 0);
    assertEquals(0, r.take("key:b", null), "b is not slowed down by a");
    assertEquals(0, r.take("key:c", new Limit(1, 5)));
    assertEquals(3, r.size());
  }

  @Test
  void aKeysOwnLimitReplacesTheDefaultAndAChangedLimitStartsAFreshBucket() {
    RateLimiter r = new RateLimiter(new Limit(1, 1), 100, now::get);
    assertEquals(0, r.take("key:a", new Limit(1, 3)));
    assertEquals(0, r.take("key:a", new Limit(1, 3)));
    assertEquals(0, r.take("key:a", new Limit(1, 3)));
    assertTrue(r.take("key:a", new Limit(1, 3)) > 0);
    assertEquals(0, r.take("key:a", new Limit(1, 4)), "the key file changed its limit");
  }

  @Test
  void aFloodOfNewAddressesCannotGrowTheMapPastItsBound() {
    RateLimiter r = new RateLimiter(new Limit(1, 2), 16, now::get);
    for (int i = 0; i < 10_000; i++) {
      r.take("addr:10.0." + (i / 256) + "." + (i % 256), null);
    }
    assertTrue(r.size() <= 17, "buckets: " + r.size());
    // the newcomers beyond the bound share one bucket, so they are limited together
    assertTrue(r.take("addr:192.168.1.1", null) > 0);
  }

  @Test
  void idleBucketsAreForgottenToMakeRoomForNewCallers() {
    RateLimiter r = new RateLimiter(new Limit(10, 2), 16, now::get);
    for (int i = 0; i < 16; i++) {
      r.take("addr:" + i, null);
    }
    advanceMs(2_000);
    assertEquals(0, r.take("addr:new", null));
    assertEquals(0, r.take("addr:new", null));
    assertTrue(r.take("addr:new", null) > 0, "the newcomer has a bucket of its own, not the overflow");
    assertTrue(r.size() <= 2, "buckets: " + r.size());
  }
}
