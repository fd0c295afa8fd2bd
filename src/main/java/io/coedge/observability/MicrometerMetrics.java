package io.coedge.observability;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** {@link Metrics} on a Micrometer Prometheus registry; meters are cached so the hot path does one map lookup. */
public final class MicrometerMetrics implements Metrics {

  private static final Duration[] LATENCY_BUCKETS = {
      Duration.ofNanos(100_000), Duration.ofNanos(250_000), Duration.ofNanos(500_000), Duration.ofMillis(1),
      Duration.ofNanos(2_500_000), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
      Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
      Duration.ofSeconds(1), Duration.ofMillis(2500)};

  private record Success(Counter count, Timer queue, Timer compute) {
  }

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Map<String, Success> successes = new ConcurrentHashMap<>();
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();
  private final Map<String, DistributionSummary> batches = new ConcurrentHashMap<>();
  private final Map<String, DistributionSummary> summaries = new ConcurrentHashMap<>();

  @Override
  public void inferSuccess(String model, String version, String route, long queueUs, long computeUs) {
    Success s = successes.computeIfAbsent(model + '\0' + version + '\0' + route, k -> new Success(
        Counter.builder("coedge.inference.request.success").description("Successful inference requests")
            .tags("model", model, "version", version, "route", route).register(registry),
        timer("coedge.inference.queue.duration", "Time requests waited in the queue", model, version),
        timer("coedge.inference.compute.duration", "Time batches spent computing", model, version)));
    s.count().increment();
    s.queue().record(queueUs, TimeUnit.MICROSECONDS);
    s.compute().record(computeUs, TimeUnit.MICROSECONDS);
  }

  private Timer timer(String name, String help, String model, String version) {
    return Timer.builder(name).description(help).tags("model", model, "version", version)
        .serviceLevelObjectives(LATENCY_BUCKETS).register(registry);
  }

  @Override
  public void inferFailure(String model, String reason) {
    count("coedge.inference.request.failure", 1, "model", model, "reason", reason);
  }

  @Override
  public void batch(String model, int rows) {
    batches.computeIfAbsent(model, m -> DistributionSummary.builder("coedge.batch.size")
        .description("Rows per executed batch").tags("model", m)
        .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128).register(registry)).record(rows);
  }

  @Override
  public void pending(String model, String version, Supplier<Number> pending) {
    Gauge.builder("coedge.inference.pending.requests", pending).description("Requests waiting in the queue")
        .tags("model", model, "version", version).register(registry);
  }

  @Override
  public void gauge(String name, String help, Supplier<Number> value, String... tags) {
    Gauge.builder(name, value).description(help).tags(Tags.of(tags)).register(registry);
  }

  @Override
  public void count(String name, double amount, String... tags) {
    counters.computeIfAbsent(name + '\0' + String.join("\0", tags),
        k -> Counter.builder(name).tags(Tags.of(tags)).register(registry)).increment(amount);
  }

  @Override
  public void observe(String name, String help, double value, String... tags) {
    summaries.computeIfAbsent(name + '\0' + String.join("\0", tags), k -> DistributionSummary.builder(name)
        .description(help).tags(Tags.of(tags)).publishPercentiles(0.5, 0.9, 0.99)
        .distributionStatisticExpiry(Duration.ofSeconds(30)).register(registry)).record(value);
  }

  @Override
  public String scrape() {
    return registry.scrape();
  }
}
