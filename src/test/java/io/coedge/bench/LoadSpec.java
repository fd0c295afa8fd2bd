package io.coedge.bench;

import java.net.URI;

/**
 * One open-loop run: requests at fixed intended start times {@code t0 + i / rate} for
 * {@code warmup + duration} seconds; only those intended after the warm-up are measured.
 *
 * @param maxInFlight requests outstanding beyond this are not sent and count as "dropped by generator"
 * @param timeoutMs   a request with no response byte for this long counts as a timeout
 */
record LoadSpec(URI url, Payload payload, double rate, double durationS, double warmupS, int maxInFlight,
    long timeoutMs) {

  /** Keeps every latency of a run in memory; this bounds the arrays (and so the rate × time product). */
  static final long MAX_REQUESTS = 4_000_000;

  LoadSpec {
    if (rate <= 0 || durationS <= 0 || warmupS < 0 || maxInFlight < 1 || timeoutMs < 1) {
      throw new IllegalArgumentException("rate, duration, max-in-flight and timeout must be positive");
    }
    if (rate * (durationS + warmupS) > MAX_REQUESTS) {
      throw new IllegalArgumentException("rate × (warmup + duration) = " + (long) (rate * (durationS + warmupS))
          + " requests: allowed at most " + MAX_REQUESTS);
    }
  }

  LoadSpec withRate(double newRate) {
    return new LoadSpec(url, payload, newRate, durationS, warmupS, maxInFlight, timeoutMs);
  }

  LoadSpec withTimes(double newDurationS, double newWarmupS) {
    return new LoadSpec(url, payload, rate, newDurationS, newWarmupS, maxInFlight, timeoutMs);
  }

  int warmupRequests() {
    return (int) Math.round(rate * warmupS);
  }

  int totalRequests() {
    return warmupRequests() + (int) Math.round(rate * durationS);
  }

  /** Intended start of request {@code i}, relative to t0: fixed before the run, whatever the server does. */
  long intendedOffsetNanos(long i) {
    return (long) (i * 1e9 / rate);
  }
}
