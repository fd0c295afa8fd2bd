package io.coedge.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coedge.api.grpc.v2.ModelInferRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The gRPC load tool's bodies: one binary tensor in raw_input_contents, addressed to the body's model. */
class GrpcLoadTest {

  @Test
  void theMlpBodyIsTheSensorRowAddressedToTheLargeModel() {
    ModelInferRequest sensor = GrpcLoad.request("sensor");
    ModelInferRequest mlp = GrpcLoad.request("mlp");
    assertEquals("sensor-anomaly", sensor.getModelName());
    assertEquals("sensor-anomaly-large", mlp.getModelName());
    assertEquals(sensor.getRawInputContents(0), mlp.getRawInputContents(0));
    assertEquals(8 * Float.BYTES, mlp.getRawInputContents(0).size());
    assertEquals(List.of(1L, 8L), mlp.getInputs(0).getShapeList());
  }

  @Test
  void theFrameBodyGoesToTheCnnAndAnUnknownBodyIsRefusedByName() {
    ModelInferRequest frame = GrpcLoad.request("frame");
    assertEquals("traffic-counter", frame.getModelName());
    assertEquals(3 * 96 * 96 * Float.BYTES, frame.getRawInputContents(0).size());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GrpcLoad.request("mlp-bin"));
    assertTrue(e.getMessage().contains("mlp-bin"), e.getMessage());
  }
}
