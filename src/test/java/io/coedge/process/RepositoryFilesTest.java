package io.coedge.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** What a user reads or runs lives in the repository: no references to files or issues a clone does not have. */
class RepositoryFilesTest {

  private static final Pattern OUTSIDE = Pattern.compile("DESIGN(\\.md)? ?§|\\.\\./shared|\\bissues? \\d",
      Pattern.CASE_INSENSITIVE);
  private static final Pattern LOCAL_LINK = Pattern.compile("\\]\\(((?!https?:|#)[^)#\\s]+)(#[^)]*)?\\)");

  private static List<Path> userFacing() throws IOException {
    List<Path> files = new ArrayList<>(List.of(Path.of("README.md")));
    for (String dir : List.of("docs", "conf", "scripts", "deploy")) {
      try (Stream<Path> s = Files.walk(Path.of(dir))) {
        s.filter(Files::isRegularFile).forEach(files::add);
      }
    }
    return files;
  }

  @Test
  void readmeDocsConfigAndScriptsReferenceNothingOutsideTheRepository() throws IOException {
    List<String> found = new ArrayList<>();
    for (Path f : userFacing()) {
      List<String> lines = Files.readAllLines(f);
      for (int i = 0; i < lines.size(); i++) {
        Matcher m = OUTSIDE.matcher(lines.get(i));
        if (m.find()) {
          found.add(f + ":" + (i + 1) + ": " + m.group());
        }
      }
    }
    assertEquals(List.of(), found);
  }

  @Test
  void localLinksInMarkdownPointAtFilesThatExist() throws IOException {
    List<String> broken = new ArrayList<>();
    for (Path f : userFacing()) {
      if (f.toString().endsWith(".md")) {
        Matcher m = LOCAL_LINK.matcher(Files.readString(f));
        while (m.find()) {
          Path target = f.toAbsolutePath().getParent().resolve(m.group(1));
          if (!Files.exists(target)) {
            broken.add(f + " -> " + m.group(1));
          }
        }
      }
    }
    assertEquals(List.of(), broken);
  }

  @Test
  void theRepositoryCarriesItsLicence() throws IOException {
    assertTrue(Files.readString(Path.of("LICENSE")).contains("Apache License"));
    assertTrue(Files.readString(Path.of("README.md")).contains("[LICENSE](LICENSE)"));
  }
}
