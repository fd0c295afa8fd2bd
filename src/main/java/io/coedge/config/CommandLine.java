package io.coedge.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parsed command line: what to do (run the node, print help or the version, probe a running node), and the
 * config file and flags that override keys. Flags are listed, and reported, in one fixed order.
 */
public record CommandLine(Action action, boolean verbose, String probeUrl, Path file, Map<String, String> overrides,
    Map<String, String> flagOf) {

  public enum Action { RUN, HELP, VERSION, PROBE }

  /** One flag: its name, its argument (empty for a switch), the key it sets (or null) and what it does. */
  record Flag(String name, String argument, ConfigKey key, String meaning) {
  }

  static final List<Flag> FLAGS = List.of(
      new Flag("--config", "FILE", null, "YAML config file (keys below, as sections)"),
      new Flag("--port", "N", HttpConfig.PORT, "HTTP port"),
      new Flag("--host", "ADDRESS", HttpConfig.HOST, "interface the HTTP port binds to"),
      new Flag("--models", "DIR", InferenceConfig.MODELS, "model repository"),
      new Flag("--node-id", "ID", NodeConfig.ID, "node id, unique in the cluster"),
      new Flag("--role", "edge|regional|cloud", NodeConfig.ROLE, "node role"),
      new Flag("--cluster-members", "HOST:PORT,...", ClusterConfig.MEMBERS, "other Hazelcast members"),
      new Flag("--cluster-port", "N", ClusterConfig.PORT, "Hazelcast member port"),
      new Flag("--verbose", "", null, "stack traces on start failures; Hazelcast's start-up notices"),
      new Flag("--probe", "[URL]", null, "exit 0 if a node's /v2/health/ready answers 200, else 1 (default URL: "
          + "this config's http.port on 127.0.0.1); a container health check without curl"),
      new Flag("--version", "", null, "print the version and exit"),
      new Flag("--help", "", null, "print this help and exit (also -h)"));

  public CommandLine {
    overrides = Map.copyOf(overrides);
    flagOf = Map.copyOf(flagOf);
  }

  /** Parses {@code args}; a flag that is unknown or lacks its value throws a {@link ConfigException}. */
  public static CommandLine parse(String[] args) {
    Action action = Action.RUN;
    boolean verbose = false;
    String probeUrl = null;
    Path file = null;
    Map<String, String> overrides = new LinkedHashMap<>();
    Map<String, String> flagOf = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      String inline = null;
      int eq = flag.indexOf('=');
      if (flag.startsWith("--") && eq > 0) {
        inline = flag.substring(eq + 1);
        flag = flag.substring(0, eq);
      }
      switch (flag) {
        case "--help", "-h" -> action = Action.HELP;
        case "--version" -> action = action == Action.HELP ? action : Action.VERSION;
        case "--verbose" -> verbose = true;
        case "--probe" -> {
          action = action == Action.RUN ? Action.PROBE : action;
          if (inline != null) {
            probeUrl = inline;
          } else if (i + 1 < args.length && !args[i + 1].startsWith("-")) {
            probeUrl = args[++i];
          }
        }
        default -> {
          Flag f = find(flag);
          String value = inline != null ? inline : i + 1 < args.length ? args[++i] : null;
          if (value == null) {
            throw new ConfigException("flag " + flag + " needs a value: " + flag + " " + f.argument());
          }
          if (f.key() == null) {
            file = Path.of(value);
            if (!Files.isRegularFile(file)) {
              throw new ConfigException("--config " + value + ": no such file");
            }
          } else {
            overrides.put(f.key().name(), value);
            flagOf.put(f.key().name(), flag);
          }
        }
      }
    }
    return new CommandLine(action, verbose, probeUrl, file, overrides, flagOf);
  }

  private static Flag find(String flag) {
    for (Flag f : FLAGS) {
      if (f.name().equals(flag)) {
        return f;
      }
    }
    List<String> names = FLAGS.stream().map(Flag::name).toList();
    throw new ConfigException("unknown flag " + flag + Suggestions.didYouMean(flag, names) + " (allowed: "
        + String.join(" ", names) + " -h)");
  }

  /** The configuration: defaults, then the file, then the environment, then the flags. */
  public CoedgeConfig config(Map<String, String> env) {
    return CoedgeConfig.from(ConfigSource.load(file, env, overrides, flagOf));
  }

  /** Every flag and every config key with its environment variable and default. */
  public static String help() {
    StringBuilder b = new StringBuilder("Usage: java -jar coedge.jar [flags]\n\n"
        + "Runs one Coedge node (edge or cloud). Values come from the built-in defaults, then --config FILE, then\n"
        + "COEDGE_* environment variables, then flags. Exit codes: 0 stopped cleanly, 1 cannot start here (a port\n"
        + "in use, no models directory), 2 bad configuration.\n\nFlags:\n");
    for (Flag f : FLAGS) {
      String head = f.name() + (f.argument().isEmpty() ? "" : " " + f.argument());
      b.append(String.format("  %-32s %s%s%n", head, f.meaning(), f.key() == null ? "" : " (" + f.key().name() + ")"));
    }
    b.append("\nConfig keys (YAML section.key, environment variable, default):\n");
    for (ConfigKey k : ConfigKey.all()) {
      b.append(String.format("  %-40s %-46s %s%n", k.name(), k.envName(),
          k.defaultValue().isEmpty() ? "(empty)" : k.defaultValue()));
    }
    return b.append("\nEach key's meaning: the configuration table in README.md.\n").toString();
  }
}
