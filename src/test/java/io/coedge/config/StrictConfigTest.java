package io.coedge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Config mistakes an operator makes: each is refused in one line that says where the bad value came from. */
class StrictConfigTest {

  @TempDir
  Path dir;

  private Path yaml(String text) throws Exception {
    Path f = dir.resolve("c.yaml");
    Files.writeString(f, text);
    return f;
  }

  private ConfigException refused(Map<String, String> env, String... args) {
    ConfigException e = assertThrows(ConfigException.class, () -> CoedgeConfig.fromArgs(args, env));
    assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    return e;
  }

  @Test
  void aBadValueNamesTheFlagTheVariableOrTheFileAndKeyThatSetIt() throws Exception {
    assertTrue(refused(Map.of(), "--port", "x").getMessage().contains("(from flag --port)"));
    assertTrue(refused(Map.of("COEDGE_HTTP_PORT", "x")).getMessage().contains("(from env COEDGE_HTTP_PORT)"));
    Path f = yaml("http:\n  port: x\n");
    String fromFile = refused(Map.of(), "--config", f.toString()).getMessage();
    assertTrue(fromFile.contains("(from " + f + ": http.port)"), fromFile);
    assertFalse(fromFile.contains("COEDGE_HTTP_PORT"), "not blamed on the variable: " + fromFile);
    String host = refused(Map.of(), "--host", "10.0.0.1", "--role", "fog").getMessage();
    assertTrue(host.contains("node.role") && host.contains("(from flag --role)"), host);
  }

  @Test
  void aListWhereOneValueBelongsIsRefused() throws Exception {
    String m = refused(Map.of(), "--config", yaml("http:\n  port: [9090]\n").toString()).getMessage();
    assertTrue(m.contains("http.port") && m.contains("[9090]") && m.contains("not a list"), m);
    // A list is fine where the key takes one.
    CoedgeConfig c = CoedgeConfig.fromArgs(new String[] {"--config", yaml("cluster:\n  name: x-1\n"
        + "  members: [10.0.0.1:5701, 10.0.0.2:5701]\n").toString()}, Map.of());
    assertEquals(2, c.cluster().members().size());
  }

  @Test
  void aKeyGivenTwiceIsRefusedWithItsLine() throws Exception {
    String m = refused(Map.of(), "--config", yaml("http:\n  port: 9090\n  port: 9091\n").toString()).getMessage();
    assertTrue(m.contains("line 3") && m.contains("'port'"), m);
  }

  @Test
  void aYamlSyntaxErrorIsOneLineWithoutTheFilesText() throws Exception {
    String m = refused(Map.of(), "--config", yaml("http:\n  port: 9090: x\nsecurity:\n  secret: hunter2\n")
        .toString()).getMessage();
    assertTrue(m.contains("line 2"), m);
    assertFalse(m.contains("hunter2") || m.contains("9090: x"), "no echo of the file: " + m);
  }

  @Test
  void anUnknownCoedgeVariableIsRefusedWithTheNearestName() {
    String m = refused(Map.of("COEDGE_HTTP_PROT", "9090")).getMessage();
    assertTrue(m.contains("COEDGE_HTTP_PROT") && m.contains("did you mean COEDGE_HTTP_PORT?"), m);
    // Other programs' variables and the benchmark scripts' build folder are not ours to judge.
    assertEquals(8080, CoedgeConfig.fromArgs(new String[0], Map.of("PATH", "/bin", "COEDGE_BUILD_DIR", "t"))
        .http().port());
  }

  @Test
  void anUnknownKeyInTheFileSuggestsTheNearestKey() throws Exception {
    String m = refused(Map.of(), "--config", yaml("inference:\n  model-dir: m\n").toString()).getMessage();
    assertTrue(m.contains("inference.model-dir") && m.contains("did you mean inference.models-dir?"), m);
  }

  @Test
  void logFormatIsTextOrJson() {
    assertTrue(CoedgeConfig.fromArgs(new String[0], Map.of("COEDGE_LOG_FORMAT", "json")).log().json());
    assertFalse(CoedgeConfig.defaults().log().json());
    assertTrue(refused(Map.of("COEDGE_LOG_FORMAT", "xml")).getMessage().contains("allowed: text, json"));
  }
}
