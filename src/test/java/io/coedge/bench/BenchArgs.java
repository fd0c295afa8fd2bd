package io.coedge.bench;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code --key value} command-line arguments. Unknown keys and bad values stop the tool at once with a
 * line that names the key, the value and what is allowed (a typo must not silently run the wrong benchmark).
 */
final class BenchArgs {

  private final Map<String, String> values = new HashMap<>();

  BenchArgs(String[] args, Set<String> allowed) {
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("expected --key value pairs, got '" + a + "'; keys: " + allowed);
      }
      String key = a.substring(2);
      if (!allowed.contains(key)) {
        throw new IllegalArgumentException("unknown option --" + key + "; allowed: " + allowed);
      }
      values.put(key, args[++i]);
    }
  }

  String string(String key, String def) {
    String v = values.getOrDefault(key, def);
    if (v == null) {
      throw new IllegalArgumentException("--" + key + " is required");
    }
    return v;
  }

  boolean has(String key) {
    return values.containsKey(key);
  }

  double number(String key, double def, double min, double max) {
    String v = values.get(key);
    if (v == null) {
      return def;
    }
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
