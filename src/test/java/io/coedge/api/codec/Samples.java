package io.coedge.api.codec;

import io.coedge.inference.DataType;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;

/** One 2×2 tensor per datatype, with its JSON forms and the little-endian bytes it must decode to. */
record Samples(DataType type, String flat, String nested, String hex, List<String> strings) {

  static final List<Samples> ALL = List.of(
      fixed(DataType.BOOL, "[true,false,false,true]", "01000001"),
      fixed(DataType.UINT8, "[0,1,254,255]", "0001feff"),
      fixed(DataType.UINT16, "[0,1,65534,65535]", "00000100feffffff"),
      fixed(DataType.UINT32, "[0,1,4294967294,4294967295]", "0000000001000000feffffffffffffff"),
      fixed(DataType.UINT64, "[0,1,9223372036854775808,18446744073709551615]",
          "000000000000000001000000000000000000000000000080ffffffffffffffff"),
      fixed(DataType.INT8, "[-128,-1,0,127]", "80ff007f"),
      fixed(DataType.INT16, "[-32768,-2,0,32767]", "0080feff0000ff7f"),
      fixed(DataType.INT32, "[-2147483648,-2,0,2147483647]", "00000080feffffff00000000ffffff7f"),
      fixed(DataType.INT64, "[-9223372036854775808,-2,0,9223372036854775807]",
          "0000000000000080feffffffffffffff0000000000000000ffffffffffffff7f"),
      fixed(DataType.FP16, "[1.0,-2.0,65504,0.5]", "003c00c0ff7b0038"),
      fixed(DataType.FP32, "[1.5,-2.0,0.1,3.4028235e38]", "0000c03f000000c0cdcccc3dffff7f7f"),
      fixed(DataType.FP64, "[1.5,-2.0,0.1,1e308]",
          "000000000000f83f00000000000000c09a9999999999b93fa0c8eb85f3cce17f"),
      new Samples(DataType.BYTES, "[\"ab\",\"\",\"h\\u00e9llo \\\"q\\\"\",\"\\u20ac\\n\"]",
          "[[\"ab\",\"\"],[\"h\\u00e9llo \\\"q\\\"\",\"\\u20ac\\n\"]]", null,
          List.of("ab", "", "h\u00e9llo \"q\"", "\u20ac\n")));

  static final long[] SHAPE = {2, 2};

  private static Samples fixed(DataType type, String flat, String hex) {
    // [a,b,c,d] -> [[a,b],[c,d]]
    String[] parts = flat.substring(1, flat.length() - 1).split(",");
    String nested = "[[" + parts[0] + "," + parts[1] + "],[" + parts[2] + "," + parts[3] + "]]";
    return new Samples(type, flat, nested, hex, null);
  }

  /** The bytes this sample takes in Triton's binary layout. */
  byte[] binary() {
    if (hex != null) {
      return HexFormat.of().parseHex(hex);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String s : strings) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      out.writeBytes(new byte[] {(byte) b.length, (byte) (b.length >>> 8), (byte) (b.length >>> 16), 0});
      out.writeBytes(b);
    }
    return out.toByteArray();
  }

  String input(String name, String data) {
    return "{\"name\":\"" + name + "\",\"datatype\":\"" + type + "\",\"shape\":[2,2],\"data\":" + data + "}";
  }

  @Override
  public String toString() {
    return type.name();
  }

  static Buffer body(String json) {
    return Buffer.buffer(json);
  }

  /** JSON followed by binary parts; the JSON length is {@code json.getBytes(UTF_8).length}. */
  static Buffer body(String json, byte[]... parts) {
    Buffer b = Buffer.buffer(json);
    for (byte[] p : parts) {
      b.appendBytes(p);
    }
    return b;
  }

  static int jsonLength(String json) {
    return json.getBytes(StandardCharsets.UTF_8).length;
  }
}
