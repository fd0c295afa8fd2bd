package io.coedge.api.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Fp16Test {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "1.0, 3C00",
      "-2.0, C000",
      "65504, 7BFF",
      "0.0, 0000",
      "-0.0, 8000",
      "0.5, 3800",
      "0.33325195, 3555",
      // 1e-7 is a subnormal half: 1e-7 / 2^-24 = 1.68 -> mantissa 2
      "1e-7, 0002",
      "5.9604645e-8, 0001",          // 2^-24, the smallest subnormal
      "6.097555e-5, 03FF",           // the largest subnormal
      "6.1035156e-5, 0400",          // 2^-14, the smallest normal
      "2.9802322e-8, 0000",          // 2^-25: a tie between 0 and 2^-24, to even = 0
      "2.9802326e-8, 0001",          // just above 2^-25
      "70000, 7C00",
      "-70000, FC00",
      "65519, 7BFF",                 // below the 65520 tie: stays finite
      "65520, 7C00",                 // the tie: to even = infinity
      "1e-30, 0000",
      "Infinity, 7C00",
      "-Infinity, FC00",
      "1.00048828125, 3C00",         // 1 + 2^-11: tie between 0x3C00 and 0x3C01, to even = 0x3C00
      "1.00146484375, 3C02",         // 1 + 3*2^-11: tie between 0x3C01 and 0x3C02, to even = 0x3C02
      "2047.5, 6800",                // tie between 2047 (0x67FF, odd) and 2048 (0x6800): to even
  })
  void floatToHalfMatchesKnownBitPatterns(float f, String hex) {
    short expected = (short) Integer.parseInt(hex, 16);
    assertEquals(expected, Fp16.floatToHalf(f), () -> "floatToHalf(" + f + ")");
  }

  @Test
  void nanStaysNan() {
    short h = Fp16.floatToHalf(Float.NaN);
    assertEquals(0x7C00, h & 0x7C00, "exponent all ones");
    assertTrue((h & 0x3FF) != 0, "mantissa non-zero");
    assertTrue(Float.isNaN(Fp16.halfToFloat(h)));
    assertTrue(Float.isNaN(Fp16.halfToFloat((short) 0x7E00)));
    assertTrue(Float.isNaN(Fp16.halfToFloat((short) 0xFC01)));
  }

  @Test
  void halfToFloatMatchesKnownValues() {
    assertEquals(1.0f, Fp16.halfToFloat((short) 0x3C00));
    assertEquals(-2.0f, Fp16.halfToFloat((short) 0xC000));
    assertEquals(65504f, Fp16.halfToFloat((short) 0x7BFF));
    assertEquals(0x1p-24f, Fp16.halfToFloat((short) 0x0001));
    assertEquals(-0x1p-24f, Fp16.halfToFloat((short) 0x8001));
    assertEquals(0x3FFp-24f, Fp16.halfToFloat((short) 0x03FF));
    assertEquals(Float.POSITIVE_INFINITY, Fp16.halfToFloat((short) 0x7C00));
    assertEquals(Float.NEGATIVE_INFINITY, Fp16.halfToFloat((short) 0xFC00));
    assertEquals(Float.floatToRawIntBits(-0.0f), Float.floatToRawIntBits(Fp16.halfToFloat((short) 0x8000)));
  }

  @Test
  void everyHalfSurvivesARoundTripThroughFloat() {
    int nans = 0;
    for (int i = 0; i <= 0xFFFF; i++) {
      int bits = i;
      short h = (short) bits;
      float f = Fp16.halfToFloat(h);
      short back = Fp16.floatToHalf(f);
      boolean nan = (bits & 0x7C00) == 0x7C00 && (bits & 0x3FF) != 0;
      if (nan) {
        nans++;
        assertTrue(Float.isNaN(f), () -> "NaN half " + Integer.toHexString(bits) + " must give a NaN float");
        assertEquals(0x7C00, back & 0x7C00, "NaN back to NaN");
        assertTrue((back & 0x3FF) != 0, "NaN back to NaN");
      } else {
        assertEquals(h, back, () -> "half 0x" + Integer.toHexString(bits) + " -> " + f);
      }
    }
    assertEquals(2 * 1023, nans);
  }

  @Test
  void halfToFloatAgreesWithArithmeticForEveryFiniteHalf() {
    for (int bits = 0; bits <= 0xFFFF; bits++) {
      int e = (bits >>> 10) & 0x1F;
      if (e == 0x1F) {
        continue;
      }
      int m = bits & 0x3FF;
      double v = e == 0 ? m * 0x1p-24 : (1 + m / 1024.0) * Math.pow(2, e - 15);
      if ((bits & 0x8000) != 0) {
        v = -v;
      }
      assertEquals(v, Fp16.halfToFloat((short) bits), 0.0, "0x" + Integer.toHexString(bits));
    }
  }

  @Test
  void floatToHalfRoundsToTheNearestHalf() {
    // Against a brute-force reference on a sweep of floats: the chosen half is never farther than another.
    java.util.Random random = new java.util.Random(42);
    for (int k = 0; k < 200_000; k++) {
      float f = Float.intBitsToFloat(random.nextInt());
      if (Float.isNaN(f) || Math.abs(f) >= 65520f) {
        continue;
      }
      short h = Fp16.floatToHalf(f);
      double chosen = Fp16.halfToFloat(h);
      double err = Math.abs(chosen - f);
      short up = (short) (h + 1);
      short down = (short) (h - 1);
      for (short n : new short[] {up, down}) {
        float other = Fp16.halfToFloat(n);
        if (!Float.isNaN(other) && !Float.isInfinite(other) && Math.signum(other) * Math.signum(f) >= 0) {
          assertTrue(err <= Math.abs((double) other - f), () -> f + " -> " + chosen + " but " + other + " is nearer");
        }
      }
    }
  }
}
