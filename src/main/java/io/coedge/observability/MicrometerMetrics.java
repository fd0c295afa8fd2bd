package io.coedge.observability;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * {@link Metrics} on a Micrometer Prometheus registry. Handles wrap the registered meter, so recording through one
 * touches no map; the deprecated name-and-tags methods keep a cache of handles.
 */
public final class MicrometerMetrics implements Metrics {

  private static final Duration[] LATENCY_BUCKETS = {
      Duration.ofNanos(100_000), Duration.ofNanos(250_000), Duration.ofNanos(500_000), Duration.ofMillis(1),
      Duration.ofNanos(2_500_000), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
      Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
      Duration.ofSeconds(1), Duration.ofMillis(2500)};
  private static final double[] BATCH_BUCKETS = {1, 2, 4, 8, 16, 32, 64, 128};

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  @Override
  public Counter counter(MetricName name, String... labelValues) {
    return counter(name.dotted(), name.help(), Tags.of(name.tags(MetricName.Kind.COUNTER, labelValues)));
  }

  private Counter counter(String name, String help, Tags tags) {
    io.micrometer.core.instrument.Counter c = io.micrometer.core.instrument.Counter.builder(name).description(help)
        .tags(tags).register(registry);
    return c::increment;
  }

  @Override
  public Timer timer(MetricName name, String... labelValues) {
    io.micrometer.core.instrument.Timer t = io.micrometer.core.instrument.Timer.builder(name.dotted())
        .description(name.help()).tags(name.tags(MetricName.Kind.TIMER, labelValues))
        .serviceLevelObjectives(LATENCY_BUCKETS).register(registry);
    return us -> t.record(us, TimeUnit.MICROSECONDS);
  }

  @Override
  public Histogram histogram(MetricName name, String... labelValues) {
    if (name.kind() == MetricName.Kind.SUMMARY) {
      return summary(name.dotted(), name.help(), Tags.of(name.tags(MetricName.Kind.SUMMARY, labelValues)));
    }
    DistributionSummary s = DistributionSummary.builder(name.dotted()).description(name.help())
        .tags(name.tags(MetricName.Kind.HISTOGRAM, labelValues)).serviceLevelObjectives(BATCH_BUCKETS)
        .register(registry);
    return s::record;
  }

  private Histogram summary(String name, String help, Tags tags) {
    DistributionSummary s = DistributionSummary.builder(name).description(help).tags(tags)
        .publishPercentiles(0.5, 0.9, 0.99).distributionStatisticExpiry(Duration.ofSeconds(30)).register(registry);
    return s::record;
  }

  @Override
  public void gauge(MetricName name, Supplier<Number> value, String... labelValues) {
    Gauge.builder(name.dotted(), value).description(name.help())
        .tags(name.tags(MetricName.Kind.GAUGE, labelValues)).register(registry);
  }

  @Override
  public String scrape() {
    return registry.scrape();
  }
}
