package io.coedge;

import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The package layering of {@code src/main} (DESIGN §2, §12) and a checker over import lists. A package may name
 * only packages of a strictly lower layer (a higher rank here); packages of one layer do not know each other:
 * <pre>
 *   (root)  Main, Gateway, adapters: the composition root, may name anything; nothing names it
 *   1 api           HTTP front end, codecs, error mapping
 *   2 routing       the admission/offload decision, remote calls   2 rollout   2 scaling   elastic cloud capacity
 *   3 inference     engine, repository, scheduler
 *   4 cluster       shared tables (Hazelcast)        4 security   TLS, credentials, rate limits
 *   5 observability metrics, health
 *   6 config        one record per section; names nothing
 * </pre>
 * Besides, outside the root no package names another package's implementation of a contract (a concrete class
 * implementing a Coedge interface, e.g. {@code HazelcastClusterView}): only the composition root chooses those.
 * Subpackages ({@code api.codec}) belong to their top package.
 */
final class Layers {

  static final String ROOT = "";
  static final Map<String, Integer> RANK = Map.of("api", 1, "routing", 2, "rollout", 2, "scaling", 2, "inference", 3,
      "cluster", 4, "security", 4, "observability", 5, "config", 6);
  private static final String BASE = "io.coedge.";
  private static final Pattern REFERENCE = Pattern.compile("\\bio\\.coedge\\.(?:[a-z][a-z0-9]*\\.)*[A-Z]\\w*");

  /** One reference from a source file: {@code from} a package, naming the class {@code target} (fully qualified). */
  record Edge(String fromPackage, String target) {

    String fromModule() {
      return module(fromPackage);
    }

    /** The top package the target lives in, or {@link #ROOT}. */
    String toModule() {
      return module(target.substring(0, target.lastIndexOf('.')));
    }

    /** {@code from -> to} with root shown as {@code root}. */
    String modules() {
      return name(fromModule()) + " -> " + name(toModule());
    }

    private static String name(String module) {
      return module.isEmpty() ? "root" : module;
    }
  }

  private Layers() {
  }

  /** {@code io.coedge.api.codec} -> {@code api}; {@code io.coedge} -> root. */
  static String module(String pkg) {
    if (!pkg.startsWith(BASE)) {
      return ROOT;
    }
    String rest = pkg.substring(BASE.length());
    int dot = rest.indexOf('.');
    return dot < 0 ? rest : rest.substring(0, dot);
  }

  /** The Coedge classes one source file names: imports and fully qualified names in code (comments skipped). */
  static List<Edge> references(String source) {
    String pkg = null;
    List<Edge> out = new ArrayList<>();
    for (String raw : source.split("\n")) {
      String line = raw.strip();
      if (line.startsWith("*") || line.startsWith("/*") || line.startsWith("//")) {
        continue;
      }
      if (line.startsWith("package ")) {
        pkg = line.substring("package ".length(), line.indexOf(';')).strip();
        continue;
      }
      Matcher m = REFERENCE.matcher(line);
      while (m.find()) {
        out.add(new Edge(pkg, outerClass(m.group())));
      }
    }
    return out;
  }

  /** {@code io.coedge.api.V2Routes.Call} -> {@code io.coedge.api.V2Routes}: the first capitalised segment. */
  private static String outerClass(String name) {
    String[] parts = name.split("\\.");
    int i = 0;
    while (i < parts.length && !Character.isUpperCase(parts[i].charAt(0))) {
      i++;
    }
    return String.join(".", Arrays.copyOfRange(parts, 0, i + 1));
  }

  /**
   * What is wrong with one edge, or null when it is allowed. {@code contractImpl} says whether a class is an
   * implementation of a contract (see the class comment).
   */
  static String violation(Edge e, Predicate<String> contractImpl) {
    String from = e.fromModule();
    String to = e.toModule();
    if (from.equals(ROOT) || from.equals(to)) {
      return null;
    }
    if (to.equals(ROOT)) {
      return e.modules() + " (" + e.target() + "): only the composition root names the root package";
    }
    Integer a = RANK.get(from);
    Integer b = RANK.get(to);
    if (a == null || b == null) {
      return e.modules() + ": package " + (a == null ? from : to) + " has no layer; give it one in Layers.RANK";
    }
    if (a >= b) {
      return e.modules() + " (" + e.target() + "): a back-edge, " + from + " is layer " + a + " and " + to
          + " layer " + b;
    }
    if (contractImpl.test(e.target())) {
      return e.modules() + " (" + e.target() + "): an implementation of a contract; only the root chooses one";
    }
    return null;
  }

  /** Every violation among {@code edges}, skipping the {@code known} ones given as {@code "from -> to"}. */
  static List<String> violations(List<Edge> edges, Predicate<String> contractImpl, Set<String> known) {
    return edges.stream().filter(e -> !known.contains(e.modules()))
        .map(e -> violation(e, contractImpl)).filter(v -> v != null).distinct().sorted().toList();
  }

  /** True for a concrete class (not a record, enum or exception) that implements a Coedge interface. */
  static boolean isContractImplementation(String className) {
    Class<?> c;
    try {
      c = Class.forName(className, false, Layers.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      return false; // a nested name the regex cut short; the import of its outer class is checked instead
    }
    if (c.isInterface() || c.isRecord() || c.isEnum() || Throwable.class.isAssignableFrom(c)
        || Modifier.isAbstract(c.getModifiers())) {
      return false;
    }
    for (Class<?> k = c; k != null; k = k.getSuperclass()) {
      for (Class<?> i : k.getInterfaces()) {
        if (i.getName().startsWith(BASE)) {
          return true;
        }
      }
    }
    return false;
  }
}
