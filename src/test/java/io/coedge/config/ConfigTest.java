package io.coedge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigTest {

  @TempDir
  Path dir;

  @Test
  void defaultsAreStandaloneOnPort8080WithTheBundledModels() {
    CoedgeConfig c = CoedgeConfig.defaults();
    assertEquals(8080, c.http().port());
    assertEquals("127.0.0.1", c.http().host());
    assertEquals(Path.of("models"), c.inference().modelsDir());
    assertTrue(c.cluster().standalone());
    assertTrue(c.cluster().enabled());
    assertEquals("edge", c.node().role());
    assertEquals(1, c.inference().intraOpThreads());
    assertEquals(InferenceConfig.CORES, c.inference().workers(), "one single-threaded worker per core");
  }

  @Test
  void autoWorkersShareTheCoresAmongIntraOpThreadsAndNeverDropToZero() {
    CoedgeConfig all = CoedgeConfig.from(ConfigSource.of(Map.of("inference.intra-op-threads",
        String.valueOf(InferenceConfig.CORES))));
    assertEquals(1, all.inference().workers(), "one worker using every core");
    CoedgeConfig more = CoedgeConfig.from(ConfigSource.of(Map.of("inference.intra-op-threads",
        String.valueOf(2 * InferenceConfig.CORES + 1))));
    assertEquals(1, more.inference().workers(), "more threads than cores still leaves one worker");
  }

  @Test
  void yamlThenEnvironmentThenFlagsOverrideEachOther() throws Exception {
    Path yaml = dir.resolve("c.yaml");
    Files.writeString(yaml, "http:\n  port: 9000\n  max-body-bytes: 4096\nnode:\n  role: cloud\n"
        + "cluster:\n  name: it-config\n  members: [\"10.0.0.1:5701\", \"10.0.0.2:5701\"]\n");
    CoedgeConfig fromFile = CoedgeConfig.fromArgs(new String[] {"--config", yaml.toString()}, Map.of());
    assertEquals(9000, fromFile.http().port());
    assertEquals(4096, fromFile.http().maxBodyBytes());
    assertEquals("cloud", fromFile.node().role());
    assertEquals(List.of("10.0.0.1:5701", "10.0.0.2:5701"), fromFile.cluster().members());

    CoedgeConfig withEnv = CoedgeConfig.fromArgs(new String[] {"--config", yaml.toString()},
        Map.of("COEDGE_HTTP_PORT", "9100", "COEDGE_INFERENCE_MAX_QUEUE", "7"));
    assertEquals(9100, withEnv.http().port());
    assertEquals(7, withEnv.inference().maxQueue());

    CoedgeConfig withFlag = CoedgeConfig.fromArgs(new String[] {"--config", yaml.toString(), "--port", "9200",
        "--role=edge", "--node-id", "edge-7"}, Map.of("COEDGE_HTTP_PORT", "9100"));
    assertEquals(9200, withFlag.http().port());
    assertEquals("edge", withFlag.node().role());
    assertEquals("edge-7", withFlag.node().id());
  }

  @Test
  void badValueNamesKeyValueAndWhatIsAllowed() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> CoedgeConfig.fromArgs(new String[] {"--port", "70000"}, Map.of()));
    assertTrue(e.getMessage().contains("http.port") && e.getMessage().contains("70000")
        && e.getMessage().contains("0 to 65535"), e.getMessage());

    ConfigException role = assertThrows(ConfigException.class,
        () -> CoedgeConfig.fromArgs(new String[] {"--role", "fog"}, Map.of()));
    assertTrue(role.getMessage().contains("node.role") && role.getMessage().contains("edge, regional, cloud"),
        role.getMessage());

    ConfigException env = assertThrows(ConfigException.class,
        () -> CoedgeConfig.fromArgs(new String[0], Map.of("COEDGE_INFERENCE_WORKERS", "many")));
    assertTrue(env.getMessage().contains("COEDGE_INFERENCE_WORKERS") && env.getMessage().contains("many"),
        env.getMessage());
  }

  @Test
  void unknownKeysAndFlagsAreRejected() throws Exception {
    Path yaml = dir.resolve("typo.yaml");
    Files.writeString(yaml, "http:\n  prot: 9000\n");
    ConfigException e = assertThrows(ConfigException.class,
        () -> CoedgeConfig.fromArgs(new String[] {"--config", yaml.toString()}, Map.of()));
    assertTrue(e.getMessage().contains("http.prot"), e.getMessage());
    ConfigException flag = assertThrows(ConfigException.class,
        () -> CoedgeConfig.fromArgs(new String[] {"--prot", "1"}, Map.of()));
    assertTrue(flag.getMessage().contains("--prot"), flag.getMessage());
  }

  @Test
  void hazelcastDefaultClusterNameIsRefused() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> CoedgeConfig.fromArgs(new String[0], Map.of("COEDGE_CLUSTER_NAME", "dev")));
    assertTrue(e.getMessage().contains("cluster.name"), e.getMessage());
  }

  @Test
  void theShippedRegionalConfigJoinsEdgeAndCloudOnPortsOfItsOwn() {
    CoedgeConfig regional = CoedgeConfig.fromArgs(new String[] {"--config", "conf/regional.yaml"}, Map.of());
    CoedgeConfig edge = CoedgeConfig.fromArgs(new String[] {"--config", "conf/edge.yaml"}, Map.of());
    CoedgeConfig cloud = CoedgeConfig.fromArgs(new String[] {"--config", "conf/cloud.yaml"}, Map.of());
    assertEquals("regional", regional.node().role());
    assertEquals(edge.cluster().name(), regional.cluster().name());
    assertEquals(List.of(edge.cluster().host() + ":" + edge.cluster().port(),
        cloud.cluster().host() + ":" + cloud.cluster().port()), regional.cluster().members());
    assertTrue(regional.http().port() != edge.http().port() && regional.http().port() != cloud.http().port());
  }

  @Test
  void shippedConfigFilesAreValidAndEdgeAndCloudRunSideBySide() {
    CoedgeConfig edge = CoedgeConfig.fromArgs(new String[] {"--config", "conf/edge.yaml"}, Map.of());
    CoedgeConfig cloud = CoedgeConfig.fromArgs(new String[] {"--config", "conf/cloud.yaml"}, Map.of());
    assertEquals("coedge-prod", edge.cluster().name());
    assertEquals(edge.cluster().name(), cloud.cluster().name());
    assertTrue(edge.http().port() != cloud.http().port() && edge.cluster().port() != cloud.cluster().port());
    assertEquals(List.of(cloud.cluster().host() + ":" + cloud.cluster().port()), edge.cluster().members());
    assertEquals(List.of(edge.cluster().host() + ":" + edge.cluster().port()), cloud.cluster().members());
    assertEquals("cloud", cloud.node().role());
    CoedgeConfig container = CoedgeConfig.fromArgs(new String[] {"--config", "conf/container.yaml"},
        // declared: this build machine's only interface may have a public (test-net) address
        Map.of("COEDGE_CLUSTER_MEMBERS", "10.0.0.9:5701", "COEDGE_CLUSTER_OVERLAY", "declared"));
    assertEquals("0.0.0.0", container.http().host());
    assertFalse(container.cluster().host().startsWith("127.") || container.cluster().host().equals("auto"),
        "the container's cluster binds to a non-loopback address: " + container.cluster().host());
  }

  @Test
  void hardenedExampleParsesWithTlsBetweenNodesKeysAndRateLimits() throws Exception {
    // Its overlay interface (wg0) and key file do not exist on a build machine: stand-ins for both.
    Path keys = Files.createTempFile("keys", ".yaml");
    Files.writeString(keys, "keys: []\n");
    CoedgeConfig c = CoedgeConfig.fromArgs(new String[] {"--config", "conf/edge-hardened.yaml"},
        Map.of("COEDGE_CLUSTER_OVERLAY", "declared", "COEDGE_SECURITY_AUTH_KEY_FILE", keys.toString()));
    Files.delete(keys);
    assertTrue(c.tls().enabled() && c.tls().mutual(), "TLS with a cluster CA");
    assertEquals(AuthConfig.Mode.KEYS, c.auth().mode());
    assertEquals(10, c.http().requestTimeoutSeconds());
    assertEquals("factory-1-prod", c.cluster().name());
  }

  @Test
  void readmeTableListsEveryKeyWithItsDefault() throws Exception {
    String readme = Files.readString(Path.of("README.md"));
    for (ConfigKey key : ConfigKey.all()) {
      String row = "| `" + key.name() + "` | `" + key.envName() + "` | `" + key.defaultValue() + "` |";
      assertTrue(readme.contains(row), "README config table lacks the row starting: " + row);
    }
    long rows = readme.lines().filter(l -> l.startsWith("| `") && l.contains("| `COEDGE_")).count();
    assertEquals(ConfigKey.all().size(), rows, "README lists keys that the code does not have");
  }
}
