package io.coedge.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coedge.config.CoedgeConfig;
import io.coedge.config.ConfigException;
import io.coedge.config.ConfigSource;
import io.coedge.config.HttpConfig;
import io.vertx.core.http.HttpServerOptions;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code http.*} input limits reach the server options, and bad values stop the process at start. */
class HttpLimitsTest {

  private static HttpConfig http(Map<String, String> values) {
    return CoedgeConfig.from(ConfigSource.of(values)).http();
  }

  @Test
  void configuredLimitsAreSetOnTheServerOptions() {
    HttpConfig c = http(Map.of("http.max-header-bytes", "16384", "http.max-initial-line-bytes", "2048",
        "http.h2-max-concurrent-streams", "20", "http.h2-max-header-list-bytes", "4096"));
    HttpServerOptions o = HttpServerVerticle.limits(new HttpServerOptions(), c);
    assertEquals(16384, o.getMaxHeaderSize());
    assertEquals(2048, o.getMaxInitialLineLength());
    assertEquals(20, o.getInitialSettings().getMaxConcurrentStreams());
    assertEquals(4096, o.getInitialSettings().getMaxHeaderListSize());
    assertTrue(o.getMaxFormAttributeSize() <= 1024 && o.getMaxFormFields() <= 16, "form decoding is bounded");
    assertFalse(o.isHttp2ClearTextEnabled());
  }

  @Test
  void defaultsAreNettysHeadLimitsAndAThirtySecondRequestTimeout() {
    HttpConfig c = CoedgeConfig.defaults().http();
    assertEquals(8192, c.maxHeaderBytes());
    assertEquals(4096, c.maxInitialLineBytes());
    assertEquals(30, c.requestTimeoutSeconds());
    assertEquals(100, c.h2MaxStreams());
  }

  @Test
  void badLimitsNameTheKeyAndWhatIsAllowed() {
    for (Map.Entry<String, String> bad : Map.of("http.max-header-bytes", "100", "http.request-timeout-s", "0",
        "http.h2-max-concurrent-streams", "-1", "http.max-initial-line-bytes", "lots").entrySet()) {
      ConfigException e = assertThrows(ConfigException.class, () -> http(Map.of(bad.getKey(), bad.getValue())));
      assertTrue(e.getMessage().contains(bad.getKey()) && e.getMessage().contains("'" + bad.getValue() + "'")
          && e.getMessage().contains("allowed"), e.getMessage());
    }
    ConfigException line = assertThrows(ConfigException.class, () -> http(Map.of("http.max-initial-line-bytes",
        "100")));
    assertTrue(line.getMessage().contains("an integer from 256 to 1048576"), line.getMessage());
  }
}
