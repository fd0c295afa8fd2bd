package io.coedge.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Split points in config.yaml and the head/tail models a split model version is served as. */
class SplitPartsTest {

  private static final ModelConfig DEFAULTS = new ModelConfig(0, 0, 8, 0, List.of(), "local-first", "", 0.5);

  @Test
  void theShippedSplitModelDeclaresThreePointsAndIsServedWithAHeadAndATailForEach() throws Exception {
    List<ModelRepository.ModelDir> dirs = SplitParts.expand(List.of(ModelRepository.model(Path.of("models"),
        "traffic-counter-split", DEFAULTS)));
    ModelConfig c = dirs.get(0).config();
    assertEquals(List.of("b0", "b1", "b2"), c.splitPoints().stream().map(SplitPoint::name).toList());
    SplitPoint b1 = c.splitPoint("b1");
    assertEquals(DataType.FP16, b1.datatype());
    assertEquals(8 * 24 * 24 * 2, b1.bytesPerRow());
    assertEquals(List.of("traffic-counter-split", "traffic-counter-split.split-b0.head", "traffic-counter-split.split-b0.tail",
        "traffic-counter-split.split-b1.head", "traffic-counter-split.split-b1.tail", "traffic-counter-split.split-b2.head",
        "traffic-counter-split.split-b2.tail"), dirs.stream().map(ModelRepository.ModelDir::name).toList());
    ModelRepository.ModelDir tail = dirs.get(4);
    assertEquals("edge-only", tail.config().policy());
    assertTrue(tail.config().splitPoints().isEmpty(), "a part is never split again");
    assertEquals("split-b1-tail.onnx", tail.entry(tail.versions().get(0)).file().getFileName().toString());
    assertEquals("traffic-counter-split", SplitParts.base(tail.name()));
  }

  @Test
  void theVersionManifestListsEveryHeadAndTailWithTheWholeModel() throws Exception {
    List<String> files = io.coedge.security.Manifest.of(Path.of("models", "traffic-counter-split", "1"),
        "traffic-counter-split", "1").files().stream().map(io.coedge.security.Manifest.FileEntry::path).toList();
    assertEquals(List.of("model.onnx", "split-b0-head.onnx", "split-b0-tail.onnx", "split-b1-head.onnx",
        "split-b1-tail.onnx", "split-b2-head.onnx", "split-b2-tail.onnx"), files);
  }

  @Test
  void partFilesAreRecognisedAndPartNamesCannotBeFolderNames() {
    assertTrue(SplitParts.isPartFile("split-b1-head.onnx"));
    assertFalse(SplitParts.isPartFile("split-b1-middle.onnx"));
    assertTrue(SplitParts.isPart("m.split-b1.tail"));
    assertFalse(SplitParts.isPart("m.split-b1"));
    assertEquals("model.onnx", SplitParts.file("traffic-counter"));
  }

  @Test
  void aBadSplitPointNamesItsKeyAndWhatIsAllowed() {
    String yaml = "split-points:\n  - name: b1\n    tensor: mid\n    shape: [8, 0]\n    datatype: FP32\n";
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ModelConfig.parse(yaml.getBytes(StandardCharsets.UTF_8), DEFAULTS));
    assertTrue(e.getMessage().contains("split-points.shape") && e.getMessage().contains("allowed"), e.getMessage());
    String int8 = "split-points:\n  - {name: b1, tensor: mid, shape: [8], datatype: INT8}\n";
    assertThrows(IllegalArgumentException.class, () -> ModelConfig.parse(int8.getBytes(StandardCharsets.UTF_8),
        DEFAULTS));
    String pin = "split-points:\n  - {name: b1, tensor: mid, shape: [8]}\nsplit-plan: split@b9\n";
    e = assertThrows(IllegalArgumentException.class, () -> ModelConfig.parse(pin.getBytes(StandardCharsets.UTF_8),
        DEFAULTS));
    assertTrue(e.getMessage().contains("split-plan"), e.getMessage());
  }
}
