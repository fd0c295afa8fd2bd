package io.coedge.bench;

import io.vertx.core.json.JsonObject;

/**
 * What one open-loop run measured. Latency is completion minus <em>intended</em> start, so time a request
 * spent waiting behind a slow server or a slow generator is counted (no coordinated omission).
 * {@code lag*} is how late the generator itself issued requests: the part of the latency that is ours;
 * {@code service*} is completion minus actual send, what a client that is never late would see.
 */
record LoadResult(String url, String payload, double offeredRps, double durationS, double achievedRps,
    long measured, long ok, long clientErrors, long overloaded, long otherStatus, long timeouts,
    long connectionErrors, long dropped, double p50Ms, double p90Ms, double p99Ms, double p999Ms, double maxMs,
    double lagP50Ms, double lagP99Ms, double serviceP50Ms, double serviceP99Ms, double generatorCores, double serverCores, double otherCores,
    String firstError) {

  long errors() {
    return measured - ok;
  }

  double errorRatio() {
    return measured == 0 ? 1 : errors() / (double) measured;
  }

  /** The criterion of issue 2: p99 within the limit and fewer errors (of any kind, drops included) than allowed. */
  boolean sustained(double p99LimitMs, double maxErrorRatio) {
    return measured > 0 && p99Ms <= p99LimitMs && errorRatio() < maxErrorRatio;
  }

  JsonObject toJson() {
    return new JsonObject()
        .put("url", url).put("payload", payload)
        .put("offered_rps", round(offeredRps, 1)).put("duration_s", durationS)
        .put("achieved_rps", round(achievedRps, 1)).put("measured", measured).put("ok_2xx", ok)
        .put("status_4xx", clientErrors).put("status_503", overloaded).put("status_other", otherStatus)
        .put("timeouts", timeouts).put("connection_errors", connectionErrors)
        .put("dropped_by_generator", dropped).put("error_ratio", round(errorRatio(), 5))
        .put("p50_ms", round(p50Ms, 3)).put("p90_ms", round(p90Ms, 3)).put("p99_ms", round(p99Ms, 3))
        .put("p999_ms", round(p999Ms, 3)).put("max_ms", round(maxMs, 3))
        .put("gen_lag_p50_ms", round(lagP50Ms, 3)).put("gen_lag_p99_ms", round(lagP99Ms, 3))
        .put("service_p50_ms", round(serviceP50Ms, 3)).put("service_p99_ms", round(serviceP99Ms, 3))
        .put("gen_cpu_cores", round(generatorCores, 2)).put("server_cpu_cores", round(serverCores, 2))
        .put("other_cpu_cores", round(otherCores, 2))
        .put("first_error", firstError);
  }

  private static double round(double v, int digits) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return -1;
    }
    double f = Math.pow(10, digits);
    return Math.round(v * f) / f;
  }
}
