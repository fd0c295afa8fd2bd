package io.coedge.bench;

import io.coedge.Ports;
import io.coedge.routing.WanEmulator;
import io.coedge.security.Manifest;
import io.coedge.security.ModelSignatures;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Rollout time and cost on 1 cloud + 3 edge processes: the edges share one site and reach the cloud through one
 * emulated WAN link; a signed version with a large model is published on the cloud and rolled out to every node
 * at once. Prints a Markdown summary: time from the POST until every node serves it, against the physical floor,
 * and the processes' extra CPU (above their idle rate) and resident memory during the rollout.
 *
 * <p>Args: jar, small onnx (version 1), large onnx (version 2), work dir, WAN Mbit/s, WAN RTT ms.
 */
public final class RolloutBench {

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String[] IDS = {"cloud", "edge1", "edge2", "edge3"};

  private RolloutBench() {
  }

  public static void main(String[] args) throws Exception {
    Path jar = Path.of(args[0]);
    Path small = Path.of(args[1]);
    Path large = Path.of(args[2]);
    Path work = Path.of(args[3]);
    double mbps = Double.parseDouble(args[4]);
    double rttMs = Double.parseDouble(args[5]);
    KeyPair keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    for (String id : IDS) {
      version(work.resolve(id), "big", "1", small, keys);
    }
    String sha = version(work.resolve("cloud"), "big", "2", large, keys);
    long bytes = Files.size(large);
    int[] http = new int[4];
    int[] hz = new int[4];
    for (int i = 0; i < 4; i++) {
      http[i] = Ports.free();
      hz[i] = Ports.free();
    }
    List<Process> procs = new ArrayList<>();
    try (WanEmulator wan = new WanEmulator("127.0.0.1", http[0], rttMs, mbps)) {
      int wanPort = wan.start(Ports.free());
      for (int i = 0; i < 4; i++) {
        procs.add(launch(jar, work, i, http, hz, Base64.getEncoder().encodeToString(keys.getPublic().getEncoded()),
            i == 0 ? "http://127.0.0.1:" + wanPort : null));
      }
      await(() -> nodes(http[0]) == 4, 300_000, "four fresh nodes");
      long[] idle0 = cpu(procs);
      long idleStart = System.nanoTime();
      Thread.sleep(5_000); // the idle rate: what the same processes burn without a rollout
      long[] idle1 = cpu(procs);
      long idleEnd = System.nanoTime();
      double idleS = (idleEnd - idleStart) / 1e9;
      long[] rss0 = rss(procs);
      long t0 = System.nanoTime();
      String id = post(http[0], new JsonObject().put("model", "big").put("version", "2").put("manifestSha256", sha));
      Map<String, Double> servingAt = new HashMap<>();
      long[] rssMax = rss0.clone();
      while (servingAt.size() < 4 && System.nanoTime() - t0 < 600e9) {
        JsonArray states = new JsonObject(get(http[0], "/v2/cluster/rollouts/" + id)).getJsonArray("nodes");
        for (Object o : states) {
          JsonObject s = (JsonObject) o;
          if (s.getString("state").equals("serving")) {
            servingAt.putIfAbsent(s.getString("node"), (System.nanoTime() - t0) / 1e9);
          }
        }
        long[] r = rss(procs);
        for (int i = 0; i < 4; i++) {
          rssMax[i] = Math.max(rssMax[i], r[i]);
        }
        Thread.sleep(50);
      }
      double took = (System.nanoTime() - t0) / 1e9;
      long[] cpu1 = cpu(procs);
      double window = (System.nanoTime() - idleEnd) / 1e9;
      double floorShared = 3 * bytes * 8 / (mbps * 1e6);
      double floorOnce = bytes * 8 / (mbps * 1e6);
      StringBuilder out = new StringBuilder();
      out.append(String.format(Locale.ROOT, "Version of %.1f MB (model.onnx), 1 cloud + 3 edges on one site, WAN "
          + "%.0f Mbit/s %.0f ms RTT shared by the site; rollout to every node at once.%n%n", bytes / 1e6, mbps, rttMs));
      out.append(String.format(Locale.ROOT, "| measure | value |%n|---|---|%n"));
      out.append(String.format(Locale.ROOT, "| POST to every node serving | %.2f s%s |%n", took,
          servingAt.size() < 4 ? " (NOT all: " + servingAt + ")" : ""));
      for (String n : IDS) {
        out.append(String.format(Locale.ROOT, "| %s serving at | %s |%n", n,
            servingAt.containsKey(n) ? String.format(Locale.ROOT, "%.2f s", servingAt.get(n)) : "never"));
      }
      out.append(String.format(Locale.ROOT, "| floor: the bytes once over the WAN (edges share among themselves) "
          + "| %.2f s |%n| floor: every edge pulls over the one WAN link | %.2f s |%n", floorOnce, floorShared));
      double extra = 0;
      for (int i = 0; i < 4; i++) {
        double rate = (idle1[i] - idle0[i]) / 100.0 / idleS;
        double used = (cpu1[i] - idle1[i]) / 100.0;
        double rolloutCpu = used - rate * window;
        extra += rolloutCpu;
        out.append(String.format(Locale.ROOT, "| %s: CPU above idle / RSS before → peak | %.2f core-s / %d → %d MB |%n",
            IDS[i], rolloutCpu, rss0[i] >> 20, rssMax[i] >> 20));
      }
      out.append(String.format(Locale.ROOT, "| cluster: extra CPU during the rollout | %.2f core-s (%.2f cores "
          + "on average over %.1f s) |%n", extra, extra / took, took));
      System.out.print(out);
    } finally {
      for (Process p : procs) {
        p.destroy();
        p.waitFor();
      }
    }
  }

  /** Writes a signed version with {@code onnx} as its model; returns the manifest sha256. */
  private static String version(Path models, String name, String version, Path onnx, KeyPair keys)
      throws Exception {
    Path dir = Files.createDirectories(models.resolve(name).resolve(version));
    Files.copy(onnx, dir.resolve("model.onnx"));
    byte[] manifest = Manifest.of(dir, name, version).canonicalBytes();
    Files.write(dir.resolve(Manifest.FILE), manifest);
    Files.writeString(dir.resolve(Manifest.SIGNATURE_FILE), ModelSignatures.sign(manifest, keys.getPrivate(),
        keys.getPublic()));
    return Manifest.sha256(manifest);
  }

  private static Process launch(Path jar, Path work, int i, int[] http, int[] hz, String key, String advertise)
      throws Exception {
    List<String> members = new ArrayList<>();
    for (int j = 0; j < 4; j++) {
      if (j != i) {
        members.add("127.0.0.1:" + hz[j]);
      }
    }
    ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-XX:+UseSerialGC", "-jar", jar.toString(), "--port", String.valueOf(http[i]))
        .redirectErrorStream(true).redirectOutput(work.resolve(IDS[i] + ".log").toFile());
    Map<String, String> env = pb.environment();
    env.put("COEDGE_NODE_ID", IDS[i]);
    env.put("COEDGE_NODE_ROLE", i == 0 ? "cloud" : "edge");
    env.put("COEDGE_NODE_SITE", i == 0 ? "dc" : "site1");
    env.put("COEDGE_INFERENCE_MODELS_DIR", work.resolve(IDS[i]).toString());
    env.put("COEDGE_INFERENCE_MODEL_CONTROL", "explicit");
    env.put("COEDGE_SECURITY_MODELS_TRUSTED_KEYS", key);
    env.put("COEDGE_SECURITY_MODELS_REQUIRE_SIGNATURE", "true");
    env.put("COEDGE_CLUSTER_ENABLED", "true");
    env.put("COEDGE_CLUSTER_NAME", "bench-rollout");
    env.put("COEDGE_CLUSTER_PORT", String.valueOf(hz[i]));
    env.put("COEDGE_CLUSTER_MEMBERS", String.join(",", members));
    env.put("COEDGE_ROLLOUT_INTERVAL_MS", "100");
    env.put("COEDGE_ROLLOUT_RETRY_MS", "300");
    // four JVMs on a shared small box: do not let a starved heartbeat split the cluster mid-measurement
    env.put("COEDGE_CLUSTER_MAX_NO_HEARTBEAT_S", "30");
    env.put("COEDGE_CLUSTER_STALE_AFTER_MS", "10000");
    if (advertise != null) {
      env.put("COEDGE_CLUSTER_ADVERTISE_URL", advertise);
    }
    return pb.start();
  }

  /** utime + stime of each process, in clock ticks (100 per second). */
  private static long[] cpu(List<Process> procs) throws Exception {
    long[] out = new long[procs.size()];
    for (int i = 0; i < out.length; i++) {
      String stat = Files.readString(Path.of("/proc/" + procs.get(i).pid() + "/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      out[i] = Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }
    return out;
  }

  /** Resident set of each process, bytes. */
  private static long[] rss(List<Process> procs) throws Exception {
    long[] out = new long[procs.size()];
    for (int i = 0; i < out.length; i++) {
      for (String line : Files.readAllLines(Path.of("/proc/" + procs.get(i).pid() + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          out[i] = Long.parseLong(line.replaceAll("\\D", "")) * 1024;
        }
      }
    }
    return out;
  }

  private static int nodes(int port) {
    try {
      String b = get(port, "/v2/cluster/nodes");
      return b == null ? 0 : b.split("\"state\":\"fresh\"", -1).length - 1;
    } catch (Exception e) {
      return 0;
    }
  }

  private interface Check {
    boolean ok() throws Exception;
  }

  private static void await(Check c, long ms, String what) throws Exception {
    long end = System.currentTimeMillis() + ms;
    while (!c.ok()) {
      if (System.currentTimeMillis() > end) {
        throw new IllegalStateException("timed out waiting for " + what);
      }
      Thread.sleep(200);
    }
  }

  private static String get(int port, String path) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
    return r.statusCode() == 200 ? r.body() : null;
  }

  private static String post(int port, JsonObject body) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
        + "/v2/cluster/rollouts")).POST(HttpRequest.BodyPublishers.ofString(body.encode())).build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 201) {
      throw new IllegalStateException("POST /v2/cluster/rollouts answered " + r.statusCode() + ": " + r.body());
    }
    return new JsonObject(r.body()).getString("id");
  }
}
