package io.coedge.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Version policies as config.yaml states them: latest N, specific, all. */
class VersionPolicyTest {

  static VersionPolicy parse(String yaml) throws Exception {
    return VersionPolicy.parse(new ObjectMapper(new YAMLFactory()).readTree("version-policy: " + yaml)
        .get("version-policy"));
  }

  @Test
  void latestNPicksTheHighestNumbers() throws Exception {
    assertEquals(List.of(10L, 3L), parse("{latest: 2}").select(List.of(1L, 10L, 3L, 2L)));
    assertEquals(List.of(10L), VersionPolicy.DEFAULT.select(List.of(1L, 10L, 3L)));
    assertEquals(List.of(), VersionPolicy.DEFAULT.select(List.of()));
  }

  @Test
  void specificPicksOnlyTheNamedVersionsThatExist() throws Exception {
    assertEquals(List.of(3L, 1L), parse("{specific: [1, 3, 7]}").select(List.of(1L, 2L, 3L)));
  }

  @Test
  void allPicksEveryVersion() throws Exception {
    assertEquals(List.of(3L, 2L, 1L), parse("all").select(List.of(1L, 2L, 3L)));
    assertEquals("all", parse("all").describe());
  }

  @Test
  void badPoliciesNameTheKey() {
    for (String bad : List.of("{latest: 0}", "{latest: x}", "{specific: []}", "{specific: [a]}", "some",
        "{latest: 1, specific: [1]}")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse(bad), bad);
      assertTrue(e.getMessage().contains("version-policy"), e.getMessage());
    }
  }
}
