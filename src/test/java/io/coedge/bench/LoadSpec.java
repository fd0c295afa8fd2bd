package io.coedge.bench;

import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * One open-loop run: requests at fixed intended start times {@code t0 + i / rate} for
 * {@code warmup + duration} seconds; only those intended after the warm-up are measured.
 *
 * @param maxInFlight requests outstanding beyond this are not sent and count as "dropped by generator"
 * @param timeoutMs   a request with no response byte for this long counts as a timeout
 * @param headers     extra request headers (an API key, say), sent with every request
 */
record LoadSpec(URI url, Payload payload, double rate, double durationS, double warmupS, int maxInFlight,
    long timeoutMs, List<Map.Entry<String, String>> headers) {

  /** Keeps every latency of a run in memory; this bounds the arrays (and so the rate × time product). */
  static final long MAX_REQUESTS = 4_000_000;

  LoadSpec {
    headers = List.copyOf(headers);
    if (rate <= 0 || durationS <= 0 || warmupS < 0 || maxInFlight < 1 || timeoutMs < 1) {
      throw new IllegalArgumentException("rate, duration, max-in-flight and timeout must be positive");
    }
    if (rate * (durationS + warmupS) > MAX_REQUESTS) {
      throw new IllegalArgumentException("rate × (warmup + duration) = " + (long) (rate * (durationS + warmupS))
          + " requests: allowed at most " + MAX_REQUESTS);
    }
  }

  LoadSpec withRate(double newRate) {
    return new LoadSpec(url, payload, newRate, durationS, warmupS, maxInFlight, timeoutMs, headers);
  }

  LoadSpec withTimes(double newDurationS, double newWarmupS) {
    return new LoadSpec(url, payload, rate, newDurationS, newWarmupS, maxInFlight, timeoutMs, headers);
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
