package io.coedge.observability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Handles are only made with the label values and the kind their metric declares. */
class MetricNameTest {

  @Test
  void prometheusNamesFollowTheExporterSuffixes() {
    assertEquals("coedge_offload_total", MetricName.OFFLOAD.prometheusName());
    assertEquals("coedge_inference_queue_duration_seconds", MetricName.QUEUE_DURATION.prometheusName());
    assertEquals("coedge_cluster_record_age_seconds", MetricName.CLUSTER_RECORD_AGE.prometheusName());
  }

  @Test
  void labelValuesArePairedWithTheDeclaredKeysInOrder() {
    assertArrayEquals(new String[] {"model", "m", "target", "cloud-1", "reason", "no-permit"},
        MetricName.OFFLOAD.tags(MetricName.Kind.COUNTER, "m", "cloud-1", "no-permit"));
  }

  @Test
  void aWrongNumberOfLabelValuesIsRefusedNamingTheKeys() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Metrics.NOOP.counter(MetricName.OFFLOAD, "m", "cloud-1"));
    assertEquals("OFFLOAD takes labels [model, target, reason], got 2 values", e.getMessage());
  }

  @Test
  void aHandleOfAnotherKindIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new MicrometerMetrics().timer(MetricName.BATCH_SIZE, "m"));
    assertEquals("BATCH_SIZE is a HISTOGRAM, not a TIMER", e.getMessage());
  }

  @Test
  void aHandleCountsIntoTheScrapedMeter() {
    MicrometerMetrics m = new MicrometerMetrics();
    Metrics.Counter c = m.counter(MetricName.AUTH_REFUSALS, "429", "rate-limited");
    c.increment();
    c.add(2);
    assertEquals(3, Scrape.parse(m.scrape()).sum("coedge_auth_refusals_total",
        java.util.Map.of("status", "429", "reason", "rate-limited")));
  }
}
