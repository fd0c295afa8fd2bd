package io.coedge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code http.grpc-port}: next to the HTTP port unless set, any free port with it, and off on request. */
class GrpcPortConfigTest {

  private static int grpcPort(Map<String, String> values) {
    return CoedgeConfig.from(ConfigSource.of(values)).http().grpcPort();
  }

  @Test
  void defaultsToTheHttpPortPlusOneAndToAnyFreePortWhenHttpTakesAny() {
    assertEquals(8081, grpcPort(Map.of()));
    assertEquals(9001, grpcPort(Map.of("http.port", "9000")));
    assertEquals(0, grpcPort(Map.of("http.port", "0")));
  }

  @Test
  void anExplicitPortZeroOrOffIsKept() {
    assertEquals(7000, grpcPort(Map.of("http.grpc-port", "7000")));
    assertEquals(0, grpcPort(Map.of("http.grpc-port", "0")));
    assertEquals(HttpConfig.GRPC_OFF, grpcPort(Map.of("http.grpc-port", "off")));
  }

  @Test
  void aBadValueNamesTheKey() {
    ConfigException e = assertThrows(ConfigException.class, () -> grpcPort(Map.of("http.grpc-port", "70000")));
    assertTrue(e.getMessage().contains("http.grpc-port"), e.getMessage());
    ConfigException last = assertThrows(ConfigException.class, () -> grpcPort(Map.of("http.port", "65535")));
    assertTrue(last.getMessage().contains("http.grpc-port"), last.getMessage());
  }
}
