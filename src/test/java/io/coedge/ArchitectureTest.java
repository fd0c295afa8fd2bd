package io.coedge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The packages of {@code src/main} point one way ({@link Layers}); the checker itself is tested on made-up sources. */
class ArchitectureTest {

  private static List<Layers.Edge> mainSources() throws IOException {
    try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
      return files.filter(p -> p.toString().endsWith(".java")).flatMap(p -> {
        try {
          return Layers.references(Files.readString(p)).stream();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }).toList();
    }
  }

  @Test
  void mainSourcesHaveNoBackEdgeAndNameNoOtherPackagesImplementation() throws IOException {
    List<Layers.Edge> edges = mainSources();
    assertTrue(edges.size() > 100, "read the imports of src/main: " + edges.size());
    assertEquals(List.of(), Layers.violations(edges, Layers::isContractImplementation, Set.of()));
  }

  @Test
  void everyPackageOfMainHasALayer() throws IOException {
    try (Stream<Path> dirs = Files.list(Path.of("src/main/java/io/coedge"))) {
      List<String> missing = dirs.filter(Files::isDirectory).map(d -> d.getFileName().toString())
          .filter(d -> !Layers.RANK.containsKey(d)).toList();
      assertEquals(List.of(), missing);
    }
  }

  private static List<String> check(String source) {
    return Layers.violations(Layers.references(source), c -> c.endsWith("Impl"), Set.of());
  }

  @Test
  void aRoutingFileImportingApiIsABackEdge() {
    List<String> found = check("package io.coedge.routing;\n\nimport io.coedge.api.V2Routes;\n"
        + "import io.coedge.inference.InferenceEngine;\n\nfinal class Router {\n}\n");
    assertEquals(List.of("routing -> api (io.coedge.api.V2Routes): a back-edge, routing is layer 2 and api layer 1"),
        found);
  }

  @Test
  void theExclusionSkipsExactlyTheKnownEdge() {
    List<Layers.Edge> edges = Layers.references("package io.coedge.routing;\nimport io.coedge.api.V2Routes;\n"
        + "import io.coedge.api.codec.Codec;\nimport static io.coedge.config.ConfigKey.of;\n");
    assertEquals(2, Layers.violations(edges, c -> false, Set.of()).size());
    Set<String> known = Set.of("routing -> api");
    assertEquals(List.of(), Layers.violations(edges, c -> false, known));
    List<Layers.Edge> other = Layers.references("package io.coedge.inference;\nimport io.coedge.api.V2Routes;\n");
    assertEquals(1, Layers.violations(other, c -> false, known).size(), "inference -> api is not excluded");
  }

  @Test
  void securityAndClusterShareALayerAndSoMayNotNameEachOther() {
    assertEquals(List.of("security -> cluster (io.coedge.cluster.NodeRecord): a back-edge, security is layer 4 and "
        + "cluster layer 4"), check("package io.coedge.security;\nimport io.coedge.cluster.NodeRecord;\n"));
  }

  @Test
  void fullyQualifiedNamesInCodeCountButCommentsDoNot() {
    List<String> found = check("package io.coedge.config;\n/** See {@link io.coedge.api.Failures}. */\n"
        + "// io.coedge.api.V2Routes is mentioned here only\nrecord C(io.coedge.observability.Metrics.Counter c) {}\n");
    assertEquals(List.of("config -> observability (io.coedge.observability.Metrics): a back-edge, config is layer 6 "
        + "and observability layer 5"), found);
  }

  @Test
  void onlyTheRootNamesTheRootOrAnotherPackagesImplementation() {
    assertEquals(List.of("api -> root (io.coedge.Gateway): only the composition root names the root package"),
        check("package io.coedge.api.codec;\nimport io.coedge.Gateway;\n"));
    assertEquals(List.of("routing -> cluster (io.coedge.cluster.HazelcastImpl): an implementation of a contract; "
        + "only the root chooses one"), check("package io.coedge.routing;\nimport io.coedge.cluster.HazelcastImpl;\n"));
    assertEquals(List.of(), check("package io.coedge;\nimport io.coedge.cluster.HazelcastImpl;\n"
        + "import io.coedge.api.V2Routes;\n"));
  }

  @Test
  void aNewPackageMustBeGivenALayer() {
    assertEquals(List.of("api -> tracing: package tracing has no layer; give it one in Layers.RANK"),
        check("package io.coedge.api;\nimport io.coedge.tracing.Spans;\n"));
  }

  @Test
  void contractImplementationsAreRecognisedByReflection() {
    assertTrue(Layers.isContractImplementation("io.coedge.cluster.HazelcastClusterView"));
    assertTrue(Layers.isContractImplementation("io.coedge.inference.OnnxInferenceEngine"));
    assertEquals(false, Layers.isContractImplementation("io.coedge.cluster.ClusterView"));
    assertEquals(false, Layers.isContractImplementation("io.coedge.cluster.NodeRecord"));
  }
}
