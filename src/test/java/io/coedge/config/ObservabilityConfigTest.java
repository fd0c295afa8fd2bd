package io.coedge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The tracing keys: off by default, an http(s) URL or nothing, a ratio from 0 to 1. */
class ObservabilityConfigTest {

  @Test
  void tracingIsOffByDefaultAtOnePercentWhenOn() {
    ObservabilityConfig d = CoedgeConfig.defaults().observability();
    assertFalse(d.tracing());
    assertEquals(0.01, d.traceSampling());
    ObservabilityConfig on = CoedgeConfig.fromArgs(new String[0], Map.of("COEDGE_OBSERVABILITY_OTLP_ENDPOINT",
        "http://collector:4318/v1/traces", "COEDGE_OBSERVABILITY_TRACE_SAMPLING", "0.5")).observability();
    assertTrue(on.tracing());
    assertEquals(0.5, on.traceSampling());
  }

  @Test
  void badValuesNameTheKeyTheValueAndWhatIsAllowed() {
    ConfigException url = assertThrows(ConfigException.class, () -> CoedgeConfig.fromArgs(new String[0],
        Map.of("COEDGE_OBSERVABILITY_OTLP_ENDPOINT", "collector:4318")));
    assertTrue(url.getMessage().contains("observability.otlp-endpoint") && url.getMessage().contains("collector:4318")
        && url.getMessage().contains("http(s)://"), url.getMessage());
    ConfigException ratio = assertThrows(ConfigException.class, () -> CoedgeConfig.fromArgs(new String[0],
        Map.of("COEDGE_OBSERVABILITY_TRACE_SAMPLING", "1.5")));
    assertTrue(ratio.getMessage().contains("observability.trace-sampling") && ratio.getMessage().contains("1.5")
        && ratio.getMessage().contains("0.0 to 1.0"), ratio.getMessage());
  }
}
