package io.coedge.rollout;

import io.coedge.cluster.HybridLogicalClock;
import io.coedge.cluster.NodeEntry;
import io.coedge.cluster.NodeRecord;
import io.coedge.Eventually;
import io.coedge.process.JarProcess;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Assertions;

/** Builders for rollout tests. */
final class Rollouts {

  static final String SHA_A = "a".repeat(64);
  static final String SHA_B = "b".repeat(64);

  private Rollouts() {
  }

  static RolloutRecord rollout(String id, String model, String version, String supersedes, long ms,
      List<RolloutRecord.Stage> stages) {
    return new RolloutRecord(id, model, version, version.equals("1") ? SHA_A : SHA_B, RolloutRecord.Target.ALL,
        stages, RolloutRecord.Halt.DEFAULT, supersedes, "cloud-1", new HybridLogicalClock.Timestamp(ms, 0));
  }

  static RolloutRecord all(String id, String version, String supersedes, long ms) {
    return rollout(id, "m", version, supersedes, ms, List.of(RolloutRecord.Stage.all()));
  }

  static NodeEntry node(String id, String role, String site, boolean fresh, boolean draining) {
    return new NodeEntry(new NodeRecord(id, "", role, site, "http://127.0.0.1:1", "test", draining, 1, 0,
        List.of()), 0, fresh);
  }

  /**
   * Settings of one node of a rollout test cluster (dotted config keys): explicit model control, signatures
   * required with {@code publicKey}, Hazelcast on {@code hz.get(self)} with the other ports as members, a fast
   * reconcile loop.
   */
  static Map<String, String> node(String id, String role, String site, Path models, String publicKey,
      String clusterName, List<Integer> hz, int self) {
    Map<String, String> m = new HashMap<>();
    m.put("node.id", id);
    m.put("node.role", role);
    m.put("node.site", site);
    m.put("inference.models-dir", models.toString());
    m.put("inference.workers", "1");
    m.put("inference.model-control", "explicit");
    m.put("security.models.trusted-keys", publicKey);
    m.put("security.models.require-signature", "true");
    m.put("cluster.enabled", "true");
    m.put("cluster.name", clusterName);
    m.put("cluster.port", String.valueOf(hz.get(self)));
    List<String> peers = new ArrayList<>();
    for (int i = 0; i < hz.size(); i++) {
      if (i != self) {
        peers.add("127.0.0.1:" + hz.get(i));
      }
    }
    m.put("cluster.members", String.join(",", peers));
    m.put("rollout.interval-ms", "100");
    m.put("rollout.retry-ms", "200");
    return m;
  }

  /** The same settings as {@code COEDGE_*} environment variables, for a node started as a process. */
  static Map<String, String> env(Map<String, String> settings) {
    Map<String, String> env = new HashMap<>();
    settings.forEach((k, v) -> env.put("COEDGE_" + k.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'), v));
    return env;
  }

  /** Waits until every process of a test cluster is ready and sees all of them fresh ({@code url(i, path)}). */
  static void awaitFresh(List<JarProcess> processes, BiFunction<Integer, String, String> url) throws Exception {
    for (int i = 0; i < processes.size(); i++) {
      processes.get(i).awaitOk(url.apply(i, "/v2/health/ready"));
    }
    Eventually.within(120_000, "every process sees " + processes.size() + " fresh nodes", () -> {
      for (int i = 0; i < processes.size(); i++) {
        String body = JarProcess.body(url.apply(i, "/v2/cluster/nodes"));
        if (body == null || body.split("\"state\":\"fresh\"", -1).length != processes.size() + 1) {
          return false;
        }
      }
      return true;
    });
  }

  /** POSTs a rollout to {@code url} ({@code .../v2/cluster/rollouts}); the record as created (201). */
  static JsonObject post(String url, JsonObject body) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
        .POST(HttpRequest.BodyPublishers.ofString(body.encode())).build(), HttpResponse.BodyHandlers.ofString());
    Assertions.assertEquals(201, r.statusCode(), r.body());
    return new JsonObject(r.body());
  }

  static NodeEntry edge(String id) {
    return node(id, "edge", "s1", true, false);
  }
}
