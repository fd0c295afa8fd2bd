package io.coedge.security;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Makes an API key entry for the key file:
 * <pre>
 * java -cp target/coedge.jar io.coedge.security.HashKey --id sensor-hub --scopes infer --models sensor-anomaly
 * </pre>
 * prints a fresh random key (give it to the client; it is stored nowhere) and the YAML entry with its salted
 * hash. With {@code --stdin} the key is read from standard input instead (at least 24 characters, no dots)
 * and not printed back.
 */
public final class HashKey {

  static final int MIN_KEY_CHARS = 24;

  private HashKey() {
  }

  public static void main(String[] args) throws IOException {
    try {
      String key = null;
      if (List.of(args).contains("--stdin")) {
        key = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
      }
      String generated = key == null ? KeyHash.randomKey() : null;
      System.out.print(run(args, key == null ? generated : key, generated != null));
    } catch (IllegalArgumentException e) {
      System.err.println("HashKey: " + e.getMessage());
      System.exit(2);
    }
  }

  /** The text to print for {@code key}; {@code showKey} when the key was generated here. */
  static String run(String[] args, String key, boolean showKey) {
    String id = "my-client";
    String scopes = "infer";
    String models = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--stdin" -> { }
        case "--id" -> id = value(args, ++i);
        case "--scopes" -> scopes = value(args, ++i);
        case "--models" -> models = value(args, ++i);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]
            + "; usage: HashKey [--id ID] [--scopes infer,admin,cluster] [--models a,b] [--stdin]");
      }
    }
    if (key == null || key.strip().length() < MIN_KEY_CHARS || key.contains(".")) {
      throw new IllegalArgumentException("a key needs at least " + MIN_KEY_CHARS + " characters and no dots");
    }
    if (!id.matches("[A-Za-z0-9._-]{1,64}")) {
      throw new IllegalArgumentException("--id must be 1-64 letters, digits, . _ -");
    }
    for (String s : scopes.split(",")) {
      if (Scope.parse(s.trim()) == null) {
        throw new IllegalArgumentException("unknown scope '" + s + "'; allowed: infer, admin, cluster");
      }
    }
    StringBuilder out = new StringBuilder();
    if (showKey) {
      out.append("# key (give it to the client; it is stored nowhere): ").append(key).append('\n');
    }
    out.append("  - id: ").append(id).append('\n')
        .append("    hash: ").append(KeyHash.of(key.strip()).text()).append('\n')
        .append("    scopes: [").append(String.join(", ", scopes.split("\\s*,\\s*"))).append("]\n");
    if (models != null) {
      out.append("    models: [").append(String.join(", ", models.split("\\s*,\\s*"))).append("]\n");
    }
    return out.toString();
  }

  private static String value(String[] args, int i) {
    if (i >= args.length) {
      throw new IllegalArgumentException(args[i - 1] + " needs a value");
    }
    return args[i];
  }
}
