package io.coedge.inference;

import java.util.ArrayList;
import java.util.List;

/**
 * The heads and tails of split models as models of their own: a model whose config declares split points is
 * served whole, and each point's head and tail is served as {@code <model>.split-<point>.head} / {@code .tail}
 * from the same version folder ({@code split-<point>-head.onnx}, {@code split-<point>-tail.onnx}), with the same
 * version number, each with the sha256 of its own bytes (published in the node table like any model, so peers
 * learn their load). Folder names of that form are reserved: a part whose name is also a folder is not served.
 */
public final class SplitParts {

  static final String MARK = ".split-";
  static final String HEAD = ".head";
  static final String TAIL = ".tail";

  private SplitParts() {
  }

  /** True for the name of a split part (head or tail) rather than a model. */
  public static boolean isPart(String name) {
    return name.contains(MARK) && (name.endsWith(HEAD) || name.endsWith(TAIL));
  }

  /** The model a part belongs to (the name itself for a model). */
  public static String base(String name) {
    int at = name.lastIndexOf(MARK);
    return at < 0 || !isPart(name) ? name : name.substring(0, at);
  }

  /** The file in the version folder that holds {@code name}'s graph. */
  static String file(String name) {
    if (!isPart(name)) {
      return ModelRepository.MODEL_FILE;
    }
    String part = name.substring(name.lastIndexOf(MARK) + MARK.length());
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
    java.util.Set<String> folders = new java.util.HashSet<>();
    dirs.forEach(d -> folders.add(d.name()));
    for (ModelRepository.ModelDir m : dirs) {
      out.add(m);
      if (m.configError() != null) {
        continue;
      }
      ModelConfig part = m.config().forSplitPart();
      for (SplitPoint p : m.config().splitPoints()) {
        for (boolean head : new boolean[] {true, false}) {
          if (folders.contains(p.part(m.name(), head))) {
            continue;
          }
          out.add(new ModelRepository.ModelDir(p.part(m.name(), head), part, m.policy(), null, m.configPrint(),
              m.versions()));
        }
      }
    }
    return out;
  }
}
