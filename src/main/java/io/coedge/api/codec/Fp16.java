package io.coedge.api.codec;

/**
 * IEEE 754 binary16 conversions (Java 17 has no {@code Float.floatToFloat16}). Halves travel as the
 * {@code short} holding their bits.
 */
public final class Fp16 {

  /** Largest finite half, 65504. */
  public static final float MAX_VALUE = 65504f;

  private Fp16() {
  }

  /**
   * Rounds a float to the nearest half, ties to even. Values from 65520 up become infinity (65520 is
   * the tie between 65504 and the next, unrepresentable, step); tiny values become subnormals or zero;
   * NaN stays NaN (quiet, keeping the top payload bits).
   */
  public static short floatToHalf(float f) {
    int bits = Float.floatToRawIntBits(f);
    int sign = (bits >>> 16) & 0x8000;
    int abs = bits & 0x7FFF_FFFF;
    if (abs >= 0x7F80_0000) {
      return (short) (abs == 0x7F80_0000 ? sign | 0x7C00 : sign | 0x7E00 | ((abs >>> 13) & 0x3FF));
    }
    if (abs >= 0x477F_F000) {
      return (short) (sign | 0x7C00);
    }
    if (abs < 0x3880_0000) {
      // Below 2^-14, the smallest normal half: the result is mantissa × 2^-24.
      if (abs < 0x3300_0000) {
        return (short) sign; // below 2^-25: rounds to zero (2^-25 itself is a tie and goes to even zero)
      }
      int mantissa = (abs & 0x7F_FFFF) | 0x80_0000;
      int shift = 126 - (abs >>> 23);
      return (short) (sign | roundShift(mantissa, shift));
    }
    // Normal: re-bias the exponent (127 - 15 = 112) and drop 13 mantissa bits. A carry out of the
    // mantissa correctly bumps the exponent.
    return (short) (sign | roundShift(abs - 0x3800_0000, 13));
  }

  /** The float equal to the half (exact: every half is a float); NaN keeps its payload. */
  public static float halfToFloat(short half) {
    int h = half & 0xFFFF;
    int sign = (h & 0x8000) << 16;
    int exponent = (h >>> 10) & 0x1F;
    int mantissa = h & 0x3FF;
    if (exponent == 0x1F) {
      return Float.intBitsToFloat(sign | 0x7F80_0000 | (mantissa << 13));
    }
    if (exponent == 0) {
      float v = mantissa * 0x1p-24f;
      return sign == 0 ? v : -v;
    }
    return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
  }

  private static int roundShift(int value, int shift) {
    int result = value >>> shift;
    int rest = value & ((1 << shift) - 1);
    int half = 1 << (shift - 1);
    if (rest > half || (rest == half && (result & 1) != 0)) {
      result++;
    }
    return result;
  }
}
