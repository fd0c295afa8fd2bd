package io.coedge.process;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every way the product starts the jar runs it with the JVM options bench/gc.sh chose (README, "Running"): the
 * collector, and a heap committed and touched once at start.
 */
class JvmOptionsTest {

  static final List<String> SHIPPED =
      List.of("-XX:+UseSerialGC", "-Xms256m", "-XX:+AlwaysPreTouch");

  @Test
  void readmeFirstCommandStartsTheJarWithTheShippedOptions() throws Exception {
    assertHasAll("README's first command", line(Path.of("README.md"), "./mvnw -q -DskipTests package && java "));
  }

  @Test
  void readmeRunningSectionStartsTheJarWithTheShippedOptions() throws Exception {
    assertHasAll("README's Running section", line(Path.of("README.md"), "java -XX:"));
  }

  @Test
  void containerImageStartsTheJarWithTheShippedOptions() throws Exception {
    Matcher m = Pattern.compile("JAVA_TOOL_OPTIONS=\"([^\"]*)\"").matcher(Files.readString(Path.of("docker/Dockerfile")));
    assertTrue(m.find(), "docker/Dockerfile sets no JAVA_TOOL_OPTIONS");
    assertHasAll("docker/Dockerfile", m.group(1));
  }

  @Test
  void systemdUnitStartsTheJarWithTheShippedOptions() throws Exception {
    assertHasAll("deploy/systemd/coedge.service", line(Path.of("deploy/systemd/coedge.service"), "ExecStart="));
  }

  @Test
  void defaultsBenchmarkRunsTheGatewayAsTheReadmeStartsIt() throws Exception {
    assertHasAll("bench/defaults.sh", line(Path.of("bench/defaults.sh"), "read -r -a GW_JVM"));
  }

  private static String line(Path file, String prefix) throws Exception {
    return Files.readAllLines(file).stream().filter(l -> l.startsWith(prefix)).findFirst()
        .orElseThrow(() -> new AssertionError(file + " has no line starting with " + prefix));
  }

  private static void assertHasAll(String where, String command) {
    List<String> words = List.of(command.split("[\\s\"}]+|:-"));
    for (String option : SHIPPED) {
      assertTrue(words.contains(option), where + " does not pass " + option + ": " + command);
    }
  }
}
