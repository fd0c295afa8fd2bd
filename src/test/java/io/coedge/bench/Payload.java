package io.coedge.bench;

import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * One request body, sent unchanged for every request of a run.
 *
 * @param jsonLength value of {@code Inference-Header-Content-Length} for a Triton binary body, or -1 for plain JSON
 */
record Payload(String kind, Buffer body, int jsonLength) {

  /** One row of the sensor models' 8 features, in raw units (the README's example). */
  static final String SENSOR_JSON = "{\"inputs\":[{\"name\":\"features\",\"shape\":[1,8],\"datatype\":\"FP32\","
      + "\"data\":[300.1,310.2,1500.0,40.0,100.0,2.5,1.0,0.0]}]}";

  static final int[] FRAME_SHAPE = {1, 3, 96, 96};

  /**
   * {@code sensor} and {@code mlp} (the same 1×8 JSON body), {@code sensor-bin} and {@code mlp-bin} (that row in
   * the binary extension), {@code frame}, or a file path.
   */
  static Payload of(String kindOrFile, int fileJsonLength) throws IOException {
    switch (kindOrFile) {
      case "sensor":
      case "mlp":
        return new Payload(kindOrFile, Buffer.buffer(SENSOR_JSON), -1);
      case "frame":
        return frame();
      case "sensor-bin":
      case "mlp-bin":
        return sensorBinary(kindOrFile);
      default:
        Path p = Path.of(kindOrFile);
        if (!Files.isRegularFile(p)) {
          throw new IllegalArgumentException("--body " + kindOrFile
              + ": allowed sensor, mlp, sensor-bin, mlp-bin, frame or a file");
        }
        return new Payload(p.getFileName().toString(), Buffer.buffer(Files.readAllBytes(p)), fileJsonLength);
    }
  }

  /** A 1×3×96×96 FP32 camera frame in the binary extension: JSON header, then raw little-endian floats. */
  private static Payload frame() {
    int n = FRAME_SHAPE[0] * FRAME_SHAPE[1] * FRAME_SHAPE[2] * FRAME_SHAPE[3];
    String json = "{\"inputs\":[{\"name\":\"frames\",\"shape\":[1,3,96,96],\"datatype\":\"FP32\","
        + "\"parameters\":{\"binary_data_size\":" + (n * Float.BYTES) + "}}]}";
    byte[] header = json.getBytes(StandardCharsets.UTF_8);
    ByteBuffer pixels = ByteBuffer.allocate(n * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    Random r = new Random(42); // fixed seed: every run sends the same frame
    for (int i = 0; i < n; i++) {
      pixels.putFloat(r.nextFloat());
    }
    return new Payload("frame", Buffer.buffer(header).appendBytes(pixels.array()), header.length);
  }

  /** The sensor row of {@link #SENSOR_JSON} as a binary-extension body. */
  private static Payload sensorBinary(String kind) {
    float[] row = {300.1f, 310.2f, 1500f, 40f, 100f, 2.5f, 1f, 0f};
    String json = "{\"inputs\":[{\"name\":\"features\",\"shape\":[1,8],\"datatype\":\"FP32\","
        + "\"parameters\":{\"binary_data_size\":" + (row.length * Float.BYTES) + "}}]}";
    byte[] header = json.getBytes(StandardCharsets.UTF_8);
    ByteBuffer data = ByteBuffer.allocate(row.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    for (float f : row) {
      data.putFloat(f);
    }
    return new Payload(kind, Buffer.buffer(header).appendBytes(data.array()), header.length);
  }

  String contentType() {
    return jsonLength < 0 ? "application/json" : "application/octet-stream";
  }
}
