package io.coedge.api.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.coedge.inference.DataType;
import io.coedge.inference.InferRequest;
import io.coedge.inference.InferenceException;
import io.coedge.inference.OffloadMode;
import io.coedge.inference.RequestedOutput;
import io.coedge.inference.Tensor;
import io.coedge.inference.TensorSpec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClassificationUnitTest {

  static String[] strings(Tensor t) {
    String[] s = new String[t.strings().length];
    for (int i = 0; i < s.length; i++) {
      s[i] = new String(t.strings()[i], StandardCharsets.UTF_8);
    }
    return s;
  }

  @Test
  void integerOutputsOfRankOneAreOneRowAndTiesKeepTheLowerIndexFirst() {
    ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putInt(3).putInt(9).putInt(-2).putInt(9);
    Tensor t = Classification.classify(Tensor.fixed("y", DataType.INT32, new long[] {4}, b.flip()), 3,
        List.of("a", "b"));
    assertArrayEquals(new long[] {3}, t.shape());
    assertArrayEquals(new String[] {"9:1", "9:3", "3:0"}, strings(t), "labels ignored: 2 labels for 4 classes");
  }

  @Test
  void aNonNumericOutputOrTooManyClassesIsRefusedBeforeTheModelRuns() {
    InferRequest req = new InferRequest(null, "m", null, List.of(), List.of(new RequestedOutput("s", false, 1)),
        false, 0, 0, OffloadMode.AUTO);
    assertEquals(400, assertThrows(InferenceException.class, () -> Classification.check(req,
        List.of(new TensorSpec("s", DataType.BYTES, new long[] {-1, 3})))).status());
    InferRequest four = new InferRequest(null, "m", null, List.of(), List.of(new RequestedOutput("p", false, 4)),
        false, 0, 0, OffloadMode.AUTO);
    assertEquals(400, assertThrows(InferenceException.class, () -> Classification.check(four,
        List.of(new TensorSpec("p", DataType.FP32, new long[] {-1, 3})))).status());
    Classification.check(four, List.of(new TensorSpec("p", DataType.FP32, new long[] {-1, -1}))); // clamped later
  }
}
