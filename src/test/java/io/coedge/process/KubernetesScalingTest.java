package io.coedge.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.coedge.api.ScaleRoutes;
import io.coedge.config.CoedgeConfig;
import io.coedge.observability.MetricName;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The elastic-scaling manifests under deploy/kubernetes/scaling agree with the cloud StatefulSet and the code
 * (metric name, endpoint, JSON field, defaults), and kubectl accepts them where it can reach an API server.
 */
class KubernetesScalingTest {

  private static final Logger LOG = Logger.getLogger(KubernetesScalingTest.class.getName());
  private static final Path DIR = Path.of("deploy/kubernetes");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private static List<JsonNode> documents(Path file) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    YAML.readerFor(JsonNode.class).readValues(file.toFile()).forEachRemaining(n -> out.add((JsonNode) n));
    return out;
  }

  private static JsonNode kind(List<JsonNode> docs, String kind) {
    return docs.stream().filter(d -> d.path("kind").asText().equals(kind)).findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind));
  }

  @Test
  void theHpaScalesTheCloudStatefulSetToTheLeadersCountDrainingOneNodeAtATime() throws Exception {
    List<JsonNode> cloud = documents(DIR.resolve("cloud.yaml"));
    JsonNode sts = kind(cloud, "StatefulSet");
    JsonNode headless = cloud.stream().filter(d -> d.path("kind").asText().equals("Service")
        && d.at("/metadata/name").asText().equals(sts.at("/spec/serviceName").asText())).findFirst().orElseThrow();
    assertEquals("None", headless.at("/spec/clusterIP").asText(), "Hazelcast discovery needs a headless Service");

    JsonNode hpa = kind(documents(DIR.resolve("scaling/hpa.yaml")), "HorizontalPodAutoscaler");
    assertEquals("StatefulSet", hpa.at("/spec/scaleTargetRef/kind").asText());
    assertEquals(sts.at("/metadata/name").asText(), hpa.at("/spec/scaleTargetRef/name").asText());
    JsonNode metric = hpa.at("/spec/metrics/0/external");
    assertEquals(MetricName.SCALE_DESIRED.prometheusName(), metric.at("/metric/name").asText());
    assertEquals("all", metric.at("/metric/selector/matchLabels/model").asText());
    assertEquals("1", metric.at("/target/averageValue").asText(), "replicas = ceil(desired / 1)");
    CoedgeConfig defaults = CoedgeConfig.defaults();
    assertEquals(defaults.scale().stabilisationS(), hpa.at("/spec/behavior/scaleDown/stabilizationWindowSeconds")
        .asLong());
    assertEquals(1, hpa.at("/spec/behavior/scaleDown/policies/0/value").asInt());
    assertEquals(defaults.scale().minNodes(), hpa.at("/spec/minReplicas").asInt());
    assertEquals(defaults.scale().maxNodes(), hpa.at("/spec/maxReplicas").asInt());
  }

  @Test
  void kedaReadsDesiredNodesFromTheScaleEndpointWithTheNodeKey() throws Exception {
    List<JsonNode> keda = documents(DIR.resolve("scaling/keda-scaledobject.yaml"));
    JsonNode trigger = kind(keda, "ScaledObject").at("/spec/triggers/0");
    assertEquals("metrics-api", trigger.path("type").asText());
    assertTrue(trigger.at("/metadata/url").asText().endsWith(ScaleRoutes.SCALE_PATH));
    assertEquals("desiredNodes", trigger.at("/metadata/valueLocation").asText());
    assertEquals("x-api-key", trigger.at("/metadata/keyParamName").asText());
    assertEquals(kind(keda, "TriggerAuthentication").at("/metadata/name").asText(),
        trigger.at("/authenticationRef/name").asText());
  }

  /** {@code kubectl create --dry-run=client} still asks an API server for the kinds; skipped without one. */
  @Test
  void kubectlAcceptsTheManifests() throws Exception {
    for (String f : List.of("cloud.yaml", "scaling/hpa.yaml", "scaling/keda-scaledobject.yaml")) {
      Process p;
      try {
        p = new ProcessBuilder("kubectl", "create", "--dry-run=client", "-o", "name", "-f", DIR.resolve(f).toString())
            .redirectErrorStream(true).start();
      } catch (java.io.IOException e) {
        LOG.info("kubectl check skipped: no kubectl on PATH");
        Assumptions.abort("no kubectl on PATH");
        return;
      }
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        Assumptions.abort("kubectl did not answer in 60 s");
      }
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.exitValue() != 0 && (out.contains("connection refused") || out.contains("unable to recognize")
          && out.contains("keda.sh") || out.contains("no configuration has been provided"))) {
        LOG.info("kubectl check of " + f + " skipped: kubectl create --dry-run=client needs an API server (and KEDA's "
            + "CRDs for the ScaledObject): " + out.strip().lines().reduce((a, b) -> b).orElse(""));
        Assumptions.abort("no reachable API server for kubectl's dry run");
      }
      assertEquals(0, p.exitValue(), f + ": " + out);
    }
  }
}
