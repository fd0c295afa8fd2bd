package io.coedge.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OrtStringsTest {

  @Test
  void validUtf8BecomesTheTextItSpells() {
    byte[] text = "héllo \uD83D\uDE00".getBytes(StandardCharsets.UTF_8);
    assertEquals("héllo \uD83D\uDE00", OrtStrings.toJava(text));
    assertArrayEquals(text, OrtStrings.toBytes(OrtStrings.toJava(text)));
  }

  @Test
  void eachInvalidByteBecomesOneEscapeAndComesBack() {
    byte[] bad = {'a', (byte) 0xFF, (byte) 0xC3, 'b'};
    assertEquals("a\uDCFF\uDCC3b", OrtStrings.toJava(bad));
    assertArrayEquals(bad, OrtStrings.toBytes("a\uDCFF\uDCC3b"));
  }

  @Test
  void randomBytesRoundTrip() {
    Random rnd = new Random(15);
    for (int n = 0; n < 2000; n++) {
      byte[] b = new byte[rnd.nextInt(12)];
      rnd.nextBytes(b);
      assertArrayEquals(b, OrtStrings.toBytes(OrtStrings.toJava(b)), () -> java.util.HexFormat.of().formatHex(b));
    }
  }
}
