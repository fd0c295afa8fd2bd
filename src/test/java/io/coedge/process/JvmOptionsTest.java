package io.coedge.process;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every way the product starts the jar runs it with the JVM options bench/gc.sh chose (README, "Running"): the
 * collector, and a heap committed and touched once at start.
 */
class JvmOptionsTest {

  static final List<String> SHIPPED = List.of("-XX:+UseSerialGC", "-Xms256m", "-XX:+AlwaysPreTouch");

  /** The first line of FILE starting (after indentation) with PREFIX passes every shipped option. */
  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource({
      "README.md, './mvnw -q -DskipTests package && java '", // the first command
      "README.md, 'java -XX:'", // "Running"
      "docker/Dockerfile, JAVA_TOOL_OPTIONS=",
      "deploy/systemd/coedge.service, ExecStart=",
      "bench/defaults.sh, read -r -a GW_JVM", // the benchmark runs the gateway as the README starts it
  })
  void startsTheJarWithTheShippedOptions(String file, String prefix) throws Exception {
    String command = Files.readAllLines(Path.of(file)).stream().map(String::strip)
        .filter(l -> l.startsWith(prefix)).findFirst()
        .orElseThrow(() -> new AssertionError(file + " has no line starting with " + prefix));
    List<String> words = List.of(command.split("[\\s\"}]+|:-"));
    for (String option : SHIPPED) {
      assertTrue(words.contains(option), file + " does not pass " + option + ": " + command);
    }
  }
}
