package io.coedge.api.codec;

/** Strict UTF-8 validation (no overlong forms, no surrogates, nothing above U+10FFFF), without allocating. */
final class Utf8 {

  private Utf8() {
  }

  static boolean isValid(byte[] s) {
    return firstInvalid(s, 0, s.length) < 0;
  }

  /** The index of the first byte in {@code [from, to)} that starts no valid UTF-8 sequence, or -1 if none. */
  static int firstInvalid(byte[] s, int from, int to) {
    int i = from;
    int n = to;
    while (i < n) {
      int b = s[i] & 0xFF;
      if (b < 0x80) {
        i++;
        continue;
      }
      int more;
      int min;
      int cp;
      if (b >= 0xC2 && b <= 0xDF) {
        more = 1;
        min = 0x80;
        cp = b & 0x1F;
      } else if (b >= 0xE0 && b <= 0xEF) {
        more = 2;
        min = 0x800;
        cp = b & 0x0F;
      } else if (b >= 0xF0 && b <= 0xF4) {
        more = 3;
        min = 0x1_0000;
        cp = b & 0x07;
      } else {
        return i;
      }
      if (i + more >= n) {
        return i;
      }
      for (int k = 1; k <= more; k++) {
        int c = s[i + k] & 0xFF;
        if ((c & 0xC0) != 0x80) {
          return i;
        }
        cp = cp << 6 | (c & 0x3F);
      }
      if (cp < min || cp > 0x10_FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        return i;
      }
      i += more + 1;
    }
    return -1;
  }
}
