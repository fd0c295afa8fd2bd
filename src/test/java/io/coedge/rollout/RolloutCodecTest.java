package io.coedge.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class RolloutCodecTest {

  private static final RolloutRecord R = Rollouts.rollout("r1", "m", "2", "r0", 1234,
      List.of(new RolloutRecord.Stage(1, 0, 500), RolloutRecord.Stage.all()));

  @Test
  void aRecordSurvivesTheMap() {
    assertEquals(R, RolloutCodec.decode("r1", RolloutCodec.toJson(R).encode()));
  }

  @Test
  void aDataRolloutKeepsItsKindAndRecordsWithoutOneAreModelRollouts() {
    RolloutRecord data = new RolloutRecord("d1", "m", "7", Rollouts.SHA_A, RolloutRecord.Target.ALL,
        List.of(RolloutRecord.Stage.all()), RolloutRecord.Halt.DEFAULT, "", "cloud-1",
        new io.coedge.cluster.HybridLogicalClock.Timestamp(5, 0), RolloutRecord.DATA);
    RolloutRecord back = RolloutCodec.decode("d1", RolloutCodec.toJson(data).encode());
    assertEquals(data, back);
    assertEquals("m:data", back.chain());
    JsonObject older = RolloutCodec.toJson(R);
    older.remove("kind");
    assertEquals(RolloutRecord.MODEL, RolloutCodec.decode("r1", older.encode()).kind());
    assertRefused(RolloutCodec.toJson(R).put("kind", "weights"), "kind");
    assertEquals(RolloutRecord.DATA, RolloutCodec.draft(new JsonObject().put("kind", "data").put("model", "m")
        .put("version", "7").put("manifestSha256", Rollouts.SHA_A).encode()).kind());
  }

  @Test
  void aKeyThatIsNotTheIdIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RolloutCodec.decode("r2", RolloutCodec.toJson(R).encode()));
    assertTrue(e.getMessage().contains("not the record's id"), e.getMessage());
  }

  @Test
  void malformedValuesAreRefusedWithTheFieldNamed() {
    JsonObject ok = RolloutCodec.toJson(R);
    assertRefused(ok.copy().put("version", "../x"), "version");
    assertRefused(ok.copy().put("manifestSha256", "ABC"), "manifestSha256");
    assertRefused(ok.copy().put("hlcMs", -1), "hlcMs");
    assertRefused(ok.copy().put("stages", "all"), "stages");
    assertRefused(ok.copy().put("target", new JsonObject().put("percent", 0)), "percent");
    assertRefused(ok.copy().put("supersedes", "r1"), "supersede itself");
    assertThrows(IllegalArgumentException.class, () -> RolloutCodec.decode("r1", 42));
    assertThrows(IllegalArgumentException.class, () -> RolloutCodec.decode("r1", "x".repeat(5000)));
  }

  private static void assertRefused(JsonObject o, String word) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RolloutCodec.decode("r1", o.encode()));
    assertTrue(e.getMessage().contains(word), e.getMessage());
  }
}
