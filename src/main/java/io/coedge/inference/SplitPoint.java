package io.coedge.inference;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * One split point a model's {@code config.yaml} declares (split computing, DESIGN §12 "Plans"): the model cut after
 * a block into a head (run where the request arrives) and a tail (run here or on another node), composed through
 * the intermediate tensor {@code tensor} of per-row shape {@code shape} and type {@code datatype}; the version
 * folder holds {@code split-<name>-head.onnx} and {@code split-<name>-tail.onnx}.
 *
 * @param maxError the largest relative error of tail(head(x)) against the whole model the model's author accepts
 *                 (above 0 when the tensor travels as FP16)
 */
public record SplitPoint(String name, String tensor, List<Long> shape, DataType datatype, double maxError) {

  static final String KEY = "split-points";
  static final int MAX_POINTS = 16;

  public SplitPoint {
    shape = List.copyOf(shape);
    check(name != null && name.matches("[A-Za-z0-9_-]{1,32}"), "name", name, "1-32 letters, digits, _ -");
    check(tensor != null && !tensor.isEmpty(), "tensor", tensor, "the intermediate tensor's name");
    check(!shape.isEmpty() && shape.size() <= 8 && shape.stream().allMatch(d -> d >= 1 && d <= 1 << 20), "shape",
        shape, "1-8 dimensions of 1 to 1048576");
    check(datatype == DataType.FP32 || datatype == DataType.FP16, "datatype", datatype, "FP32, FP16");
    check(maxError >= 0 && maxError <= 1, "max-error", maxError, "0 to 1");
  }

  /** Bytes of the intermediate tensor per row (what a split sends over the link). */
  public long bytesPerRow() {
    long n = datatype.size();
    for (long d : shape) {
      n *= d;
    }
    return n;
  }

  /** The model name the node serves this point's head or tail under. */
  public String part(String model, boolean head) {
    return model + SplitParts.MARK + name + (head ? SplitParts.HEAD : SplitParts.TAIL);
  }

  private static void check(boolean ok, String key, Object value, String allowed) {
    if (!ok) {
      throw new IllegalArgumentException("key '" + KEY + "." + key + "': value '" + value + "' is not allowed; "
          + "allowed: " + allowed);
    }
  }

  /** Parses the {@code split-points} list of a config.yaml (absent = none). */
  static List<SplitPoint> parse(JsonNode list) {
    if (list == null || list.isNull()) {
      return List.of();
    }
    check(list.isArray() && list.size() <= MAX_POINTS, "", list.getNodeType(), "a list of at most " + MAX_POINTS);
    List<SplitPoint> out = new ArrayList<>();
    for (JsonNode p : list) {
      List<Long> shape = new ArrayList<>();
      p.path("shape").forEach(d -> shape.add(d.canConvertToLong() ? d.asLong() : -1));
      DataType t;
      try {
        t = DataType.valueOf(p.path("datatype").asText("FP32"));
      } catch (IllegalArgumentException e) {
        t = null;
      }
      SplitPoint sp = new SplitPoint(p.path("name").asText(null), p.path("tensor").asText(null), shape, t,
          p.path("max-error").asDouble(0));
      check(out.stream().noneMatch(o -> o.name().equals(sp.name())), "name", sp.name(), "each name once");
      out.add(sp);
    }
    return out;
  }
}
