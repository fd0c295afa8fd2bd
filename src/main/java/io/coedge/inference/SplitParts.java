package io.coedge.inference;

import java.util.ArrayList;
import java.util.List;

/**
 * The heads and tails of split models as models of their own: a model whose config declares split points is
 * served whole, and each point's head and tail is served as {@code <model>@<point>.head} / {@code .tail} from the
 * same version folder ({@code split-<point>-head.onnx}, {@code split-<point>-tail.onnx}), with the same version
 * number, each with the sha256 of its own bytes. {@code @} cannot occur in a repository folder name, so a part's
 * name never collides with a model's.
 */
public final class SplitParts {

  static final String MARK = "@";
  static final String HEAD = ".head";
  static final String TAIL = ".tail";

  private SplitParts() {
  }

  /** True for the name of a split part (head or tail) rather than a model. */
  public static boolean isPart(String name) {
    return name.contains(MARK);
  }

  /** The model a part belongs to (the name itself for a model). */
  public static String base(String name) {
    int at = name.indexOf(MARK);
    return at < 0 ? name : name.substring(0, at);
  }

  /** The file in the version folder that holds {@code name}'s graph. */
  static String file(String name) {
    int at = name.indexOf(MARK);
    if (at < 0) {
      return ModelRepository.MODEL_FILE;
    }
    String part = name.substring(at + 1);
    int dot = part.lastIndexOf('.');
    return "split-" + part.substring(0, dot) + "-" + part.substring(dot + 1) + ".onnx";
  }

  /** True for a head or tail file name, which belongs in a version folder next to model.onnx. */
  public static boolean isPartFile(String fileName) {
    return fileName.matches("split-[A-Za-z0-9_-]{1,32}-(head|tail)\\.onnx");
  }

  /** The models to load: each one, then the head and tail of each of its split points. */
  static List<ModelRepository.ModelDir> expand(List<ModelRepository.ModelDir> dirs) {
    List<ModelRepository.ModelDir> out = new ArrayList<>();
    for (ModelRepository.ModelDir m : dirs) {
      out.add(m);
      if (m.configError() != null) {
        continue;
      }
      ModelConfig part = m.config().forSplitPart();
      for (SplitPoint p : m.config().splitPoints()) {
        for (boolean head : new boolean[] {true, false}) {
          out.add(new ModelRepository.ModelDir(p.part(m.name(), head), part, m.policy(), null, m.configPrint(),
              m.versions()));
        }
      }
    }
    return out;
  }
}
