package io.coedge.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code --key value} command-line arguments and value-less {@code --flag}s. Unknown keys and bad values stop the
 * tool at once with a line that names the key, the value and what is allowed (a typo must not silently run the
 * wrong benchmark). A key given twice keeps every value ({@link #all}); the single-value getters take the last.
 */
final class BenchArgs {

  private final Map<String, List<String>> values = new HashMap<>();

  BenchArgs(String[] args, Set<String> allowed) {
    this(args, allowed, Set.of());
  }

  BenchArgs(String[] args, Set<String> allowed, Set<String> flags) {
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      String key = a.startsWith("--") ? a.substring(2) : "";
      if (flags.contains(key)) {
        values.computeIfAbsent(key, k -> new ArrayList<>()).add("true");
        continue;
      }
      if (key.isEmpty() || i + 1 >= args.length) {
        throw new IllegalArgumentException("expected --key value pairs, got '" + a + "'; keys: " + allowed);
      }
      if (!allowed.contains(key)) {
        throw new IllegalArgumentException("unknown option --" + key + "; allowed: " + allowed + " and flags "
            + flags);
      }
      values.computeIfAbsent(key, k -> new ArrayList<>()).add(args[++i]);
    }
  }

  /** Every value given for a repeatable key, in order; empty when absent. */
  List<String> all(String key) {
    return List.copyOf(values.getOrDefault(key, List.of()));
  }

  String string(String key, String def) {
    List<String> given = values.get(key);
    String v = given == null ? def : given.get(given.size() - 1);
    if (v == null) {
      throw new IllegalArgumentException("--" + key + " is required");
    }
    return v;
  }

  boolean has(String key) {
    return values.containsKey(key);
  }

  double number(String key, double def, double min, double max) {
    if (!has(key)) {
      return def;
    }
    String v = string(key, null);
    try {
      double d = Double.parseDouble(v);
      if (d >= min && d <= max) {
        return d;
      }
    } catch (NumberFormatException e) {
      // reported below with the allowed range
    }
    throw new IllegalArgumentException("--" + key + " " + v + ": allowed " + min + " to " + max);
  }

  int integer(String key, int def, int min, int max) {
    double d = number(key, def, min, max);
    if (d != Math.rint(d)) {
      throw new IllegalArgumentException("--" + key + " " + d + ": must be a whole number");
    }
    return (int) d;
  }

  /** Runs a tool's body, turning argument errors into one line on stderr and exit code 2. */
  static void run(String tool, String usage, ThrowingBody body) {
    try {
      body.run();
    } catch (IllegalArgumentException e) {
      System.err.println(tool + ": " + e.getMessage());
      System.err.println("usage: " + tool + " " + usage);
      System.exit(2);
    } catch (Exception e) {
      e.printStackTrace();
      System.exit(1);
    }
  }

  interface ThrowingBody {
    void run() throws Exception;
  }
}
