package io.coedge.cluster;

import static io.coedge.cluster.Records.node;
import static io.coedge.cluster.Records.ready;
import static io.coedge.cluster.Records.sha;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class RecordCodecTest {

  private final NodeRecord good = node("n1", 1_000, ready("resnet", "3", sha('a')));

  @Test
  void aNodeRecordSurvivesTheRoundTrip() throws Exception {
    assertEquals(good, RecordCodec.decodeNode("n1", RecordCodec.encode(good)));
  }

  @Test
  void perVersionOutcomesAndBoundDataSurviveTheRoundTripAndOlderRecordsReadAsNone() throws Exception {
    NodeRecord.Model m = new NodeRecord.Model("resnet", "3", sha('a'), true, 1, 0, 0, 900, 1, 900, 470, 30, 2_500,
        sha('e'));
    NodeRecord withOutcomes = node("n1", 1_000, m);
    NodeRecord back = RecordCodec.decodeNode("n1", RecordCodec.encode(withOutcomes));
    assertEquals(withOutcomes, back);
    assertEquals(500, back.models().get(0).requests());
    JsonObject older = RecordCodec.toJson(withOutcomes);
    JsonObject entry = older.getJsonArray("models").getJsonObject(0);
    for (String key : new String[] {"succeeded", "failed", "p99Us", "data"}) {
      entry.remove(key);
    }
    NodeRecord.Model before = RecordCodec.decodeNode("n1", older.encode()).models().get(0);
    assertEquals(0, before.requests());
    assertEquals("", before.data());
    rejects(o -> o.getJsonArray("models").getJsonObject(0).put("failed", -1));
    rejects(o -> o.getJsonArray("models").getJsonObject(0).put("data", "not a digest"));
    rejects(o -> o.getJsonArray("models").getJsonObject(0).put("p99Us", Double.NaN));
  }

  @Test
  void demandFiguresSurviveTheRoundTripAndRecordsOfOlderNodesReadAsZeroDemand() throws Exception {
    NodeRecord.Model busy = new NodeRecord.Model("resnet", "3", sha('a'), true, 2, 4, 1, 900, 1.5, 2000, 37.5, 4.25);
    NodeRecord r = node("n1", 1_000, busy);
    NodeRecord back = RecordCodec.decodeNode("n1", RecordCodec.encode(r));
    assertEquals(37.5, back.models().get(0).arrivalsPerS());
    assertEquals(4.25, back.models().get(0).shedPerS());
    JsonObject older = RecordCodec.toJson(r);
    older.getJsonArray("models").getJsonObject(0).remove("arrivalsPerS");
    older.getJsonArray("models").getJsonObject(0).remove("shedPerS");
    NodeRecord.Model old = RecordCodec.decodeNode("n1", older.encode()).models().get(0);
    assertEquals(0.0, old.arrivalsPerS());
    assertEquals(900.0, old.serviceUs());
    JsonObject negative = RecordCodec.toJson(r);
    negative.getJsonArray("models").getJsonObject(0).put("arrivalsPerS", -1);
    assertThrows(BadRecordException.class, () -> RecordCodec.decodeNode("n1", negative.encode()));
    JsonObject text = RecordCodec.toJson(r);
    text.getJsonArray("models").getJsonObject(0).put("shedPerS", "many");
    assertThrows(BadRecordException.class, () -> RecordCodec.decodeNode("n1", text.encode()));
  }

  @Test
  void aRegionalNodesViaFigureSurvivesTheRoundTripAndRecordsWithoutItReadAsNone() throws Exception {
    NodeRecord.Model m = new NodeRecord.Model("resnet", "3", sha('a'), true, 1, 4, 1, 40_000, 1, 200_000, 0, 0, 0,
        "", 0, 0, 12_500);
    NodeRecord r = new NodeRecord("r1", "", "regional", "lab", "http://r1:8080", "t", false, 1, 1_000, List.of(m));
    NodeRecord back = RecordCodec.decodeNode("r1", RecordCodec.encode(r));
    assertEquals("regional", back.role());
    assertEquals(12_500.0, back.models().get(0).viaUs());
    JsonObject older = RecordCodec.toJson(r);
    older.getJsonArray("models").getJsonObject(0).remove("viaUs");
    assertEquals(0.0, RecordCodec.decodeNode("r1", older.encode()).models().get(0).viaUs());
    JsonObject hostile = RecordCodec.toJson(r);
    hostile.getJsonArray("models").getJsonObject(0).put("viaUs", -5);
    assertThrows(BadRecordException.class, () -> RecordCodec.decodeNode("r1", hostile.encode()));
    JsonObject fog = RecordCodec.toJson(r).put("role", "fog");
    assertThrows(BadRecordException.class, () -> RecordCodec.decodeNode("r1", fog.encode()));
  }

  @Test
  void aVersionRecordSurvivesTheRoundTrip() throws Exception {
    VersionRecord v = new VersionRecord(new Artifact("data", "labels", "7", sha('b'), 12, "c2lnbmF0dXJl"), "n2",
        new HybridLogicalClock.Timestamp(55, 3));
    assertEquals(v, RecordCodec.decodeVersion(v.key(), RecordCodec.encode(v)));
  }

  @Test
  void aVersionRecordCarriesItsManifestHashAndSignerAndOldRecordsStillRead() throws Exception {
    VersionRecord v = new VersionRecord(Artifact.model("m", "2", sha('c'), 9, sha('d'), "0123456789abcdef"), "n1",
        new HybridLogicalClock.Timestamp(5, 0));
    VersionRecord back = RecordCodec.decodeVersion(v.key(), RecordCodec.encode(v));
    assertEquals(sha('d'), back.artifact().manifest());
    assertEquals("0123456789abcdef", back.artifact().signer());
    JsonObject older = RecordCodec.toJson(v).copy();
    older.remove("manifest");
    older.remove("signer");
    VersionRecord before = RecordCodec.decodeVersion(v.key(), older.encode());
    assertEquals(null, before.artifact().manifest());
    assertThrows(BadRecordException.class, () -> RecordCodec.decodeVersion(v.key(),
        RecordCodec.toJson(v).put("signer", "not a key id").encode()));
  }

  @Test
  void valuesThatAreNotJsonObjectStringsAreRejected() {
    for (Object raw : new Object[] {null, 42, new byte[] {1}, "not json", "[1,2]", "\"text\"", "{}", "{\"format\":2}"}) {
      assertThrows(BadRecordException.class, () -> RecordCodec.decodeNode("n1", raw), String.valueOf(raw));
      assertThrows(BadRecordException.class, () -> RecordCodec.decodeVersion("model/m/1/" + sha('a'), raw));
    }
  }

  @Test
  void fieldsOfTheWrongTypeAreRejected() {
    rejects(o -> o.put("seq", "7"));
    rejects(o -> o.put("draining", "yes"));
    rejects(o -> o.put("models", new JsonObject()));
    rejects(o -> o.put("models", new JsonArray().add("resnet")));
    rejects(o -> o.getJsonArray("models").getJsonObject(0).put("queued", 1.5));
    rejects(o -> o.getJsonArray("models").getJsonObject(0).put("serviceUs", "fast"));
    rejects(o -> o.remove("url"));
  }

  @Test
  void outOfBoundsValuesAreRejected() {
    rejects(o -> o.put("seq", -1));
    rejects(o -> o.put("role", "admin"));
    rejects(o -> o.put("url", "file:///etc/passwd"));
    rejects(o -> o.put("site", "x".repeat(NodeRecord.MAX_TEXT + 1)));
    rejects(o -> o.put("id", "bad id with spaces"));
    rejects(o -> o.getJsonArray("models").getJsonObject(0).put("sha256", "abc"));
    rejects(o -> o.getJsonArray("models").getJsonObject(0).put("estimateUs", 1e300));
    rejects(o -> o.getJsonArray("models").getJsonObject(0).put("workers", 1L << 40));
  }

  @Test
  void tooManyModelsOrTooManyCharactersAreRejectedBeforeUse() {
    rejects(o -> {
      JsonArray models = new JsonArray();
      for (int i = 0; i <= NodeRecord.MAX_MODELS; i++) {
        models.add(RecordCodec.toJson(node("n1", 1, ready("m" + i, "1", sha('a')))).getJsonArray("models").getValue(0));
      }
      o.put("models", models);
    });
    String huge = RecordCodec.encode(good).replace("\"lab\"", "\"" + " ".repeat(RecordCodec.MAX_NODE_CHARS) + "\"");
    BadRecordException e = assertThrows(BadRecordException.class, () -> RecordCodec.decodeNode("n1", huge));
    assertEquals("value has " + huge.length() + " characters, more than " + RecordCodec.MAX_NODE_CHARS, e.getMessage());
  }

  @Test
  void aRecordStoredUnderAnotherNodesKeyIsRejected() {
    assertThrows(BadRecordException.class, () -> RecordCodec.decodeNode("n2", RecordCodec.encode(good)));
  }

  @Test
  void versionKeysMustBeKindNameVersionSha() {
    VersionRecord v = Records.version("m", "1", sha('a'), "n1", 1);
    String raw = RecordCodec.encode(v);
    for (String key : new String[] {"m/1/" + sha('a'), "model/m/1/" + sha('a') + "/x", "blob/m/1/" + sha('a'),
        "model/m/1/xyz", "model/../1/" + sha('a'), null}) {
      assertThrows(BadRecordException.class, () -> RecordCodec.decodeVersion(key, raw), key);
    }
    String longSignature = RecordCodec.toJson(v).put("signature", "A".repeat(Artifact.MAX_SIGNATURE + 1)).encode();
    assertThrows(BadRecordException.class, () -> RecordCodec.decodeVersion(v.key(), longSignature));
  }

  private void rejects(Consumer<JsonObject> damage) {
    JsonObject o = RecordCodec.toJson(good);
    damage.accept(o);
    assertThrows(BadRecordException.class, () -> RecordCodec.decodeNode(o.getString("id", "n1"), o.encode()),
        o.encode().length() > 300 ? o.encode().substring(0, 300) : o.encode());
  }
}
