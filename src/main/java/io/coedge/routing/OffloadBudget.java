package io.coedge.routing;

import io.coedge.config.OffloadConfig;
import java.util.HashMap;
import java.util.Map;

/**
 * The guards of DESIGN §6.2 over a sliding minute (six 10-second buckets): at most {@code budget-fraction}
 * of a model's requests offloaded, at most {@code budget-money-per-minute} spent, and retries of failed
 * offloads at most {@code retry-budget} of the offloads (plus a floor of {@value #RETRY_FLOOR}, so the first
 * failure after a quiet spell may still be retried). Thread-safe; time from the injected clock.
 */
public final class OffloadBudget {

  static final int RETRY_FLOOR = 3;
  private static final int BUCKETS = 6;
  private static final long BUCKET_MS = 10_000;

  /** Counts of one bucket; index 0..3 = requests, offloads, retries, money. */
  private static final class Window {
    final long[] start = new long[BUCKETS];
    final double[][] sums = new double[BUCKETS][4];

    double sum(int what, long now) {
      double s = 0;
      for (int i = 0; i < BUCKETS; i++) {
        if (now - start[i] < BUCKETS * BUCKET_MS) {
          s += sums[i][what];
        }
      }
      return s;
    }

    void add(int what, double amount, long now) {
      long bucketStart = now - Math.floorMod(now, BUCKET_MS);
      int i = (int) Math.floorMod(bucketStart / BUCKET_MS, (long) BUCKETS);
      if (start[i] != bucketStart) {
        start[i] = bucketStart;
        sums[i] = new double[4];
      }
      sums[i][what] += amount;
    }
  }

  private static final int REQUESTS = 0;
  private static final int OFFLOADS = 1;
  private static final int RETRIES = 2;
  private static final int MONEY = 3;

  private final OffloadConfig config;
  private final RoutingClock clock;
  private final Map<String, Window> byModel = new HashMap<>();
  private final Window all = new Window();

  public OffloadBudget(OffloadConfig config, RoutingClock clock) {
    this.config = config;
    this.clock = clock;
  }

  /** Counts one request for {@code model}, whatever becomes of it (only the fraction budget reads the count). */
  public void request(String model) {
    if (config.budgetFraction() < 1) {
      synchronized (this) {
        window(model).add(REQUESTS, 1, clock.millis());
      }
    }
  }

  /** True if one more offload costing {@code price} stays within the fraction and money budgets. */
  public boolean allows(String model, double price) {
    if (config.budgetFraction() >= 1 && config.budgetMoneyPerMinute() <= 0) {
      return true; // no budget configured: no lock, no clock on every request
    }
    return within(model, price);
  }

  private synchronized boolean within(String model, double price) {
    long now = clock.millis();
    Window w = window(model);
    if (config.budgetFraction() < 1 && w.sum(OFFLOADS, now) + 1 > config.budgetFraction() * w.sum(REQUESTS, now)) {
      return false;
    }
    return config.budgetMoneyPerMinute() <= 0 || all.sum(MONEY, now) + price <= config.budgetMoneyPerMinute();
  }

  /** Records an offload sent (retries included) and what it costs. */
  public synchronized void offloaded(String model, double price) {
    long now = clock.millis();
    window(model).add(OFFLOADS, 1, now);
    all.add(OFFLOADS, 1, now);
    all.add(MONEY, price, now);
  }

  /** Takes a retry from the budget if one is left; false means: do not retry. */
  public synchronized boolean tryRetry() {
    long now = clock.millis();
    if (all.sum(RETRIES, now) + 1 > config.retryBudget() * all.sum(OFFLOADS, now) + RETRY_FLOOR) {
      return false;
    }
    all.add(RETRIES, 1, now);
    return true;
  }

  /** Money spent in the last minute. */
  public synchronized double spentLastMinute() {
    return all.sum(MONEY, clock.millis());
  }

  private Window window(String model) {
    return byModel.computeIfAbsent(model, m -> new Window());
  }
}
