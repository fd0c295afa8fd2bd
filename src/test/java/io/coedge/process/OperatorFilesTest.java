package io.coedge.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.coedge.config.CoedgeConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The operator files under deploy/ agree with the code: configs that start, metrics that exist. */
class OperatorFilesTest {

  private static final Pattern METRIC = Pattern.compile("coedge_[a-z_]+");

  @Test
  void kubernetesConfigsAreValidNodeConfigs() throws Exception {
    JsonNode map = new ObjectMapper(new YAMLFactory()).readTree(Path.of("deploy/kubernetes/configmap.yaml").toFile());
    Path dir = Files.createTempDirectory("k8s-config");
    for (String role : List.of("edge", "cloud")) {
      Path f = dir.resolve(role + ".yaml");
      Files.writeString(f, map.get("data").get(role + ".yaml").asText());
      CoedgeConfig c = CoedgeConfig.fromArgs(new String[] {"--config", f.toString()},
          Map.of("COEDGE_NODE_ID", role + "-0", "COEDGE_CLUSTER_HOST", "10.244.1.7"));
      assertEquals(role, c.node().role());
      assertEquals("0.0.0.0", c.http().host());
      assertEquals(2, c.cluster().members().size());
    }
  }

  @Test
  void alertsAndDashboardUseOnlyTheDocumentedMetrics() throws Exception {
    String readme = Files.readString(Path.of("README.md"));
    String documented = readme.substring(readme.indexOf("Metrics for alerts and dashboards"));
    Set<String> used = new TreeSet<>();
    for (String f : List.of("deploy/prometheus/coedge-alerts.yaml", "deploy/grafana/coedge-dashboard.json")) {
      Matcher m = METRIC.matcher(Files.readString(Path.of(f)));
      while (m.find()) {
        used.add(m.group().replaceAll("_(bucket|sum|count)$", ""));
      }
    }
    List<String> missing = new ArrayList<>();
    for (String metric : used) {
      if (!Pattern.compile("`" + metric + "[`{]").matcher(documented).find()) {
        missing.add(metric);
      }
    }
    assertTrue(used.size() >= 10, "alerts and dashboard cover the metrics: " + used);
    assertEquals(List.of(), missing, "used in deploy/ but not documented in README");
    new ObjectMapper().readTree(Path.of("deploy/grafana/coedge-dashboard.json").toFile());
  }
}
