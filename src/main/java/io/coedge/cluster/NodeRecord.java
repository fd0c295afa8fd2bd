package io.coedge.cluster;

import java.util.List;
import java.util.regex.Pattern;

/**
 * One node's entry in {@code coedge.nodes}, written only by that node (DESIGN §7.1). The constructors
 * bound every field, so a record parsed from the map is either sane or rejected.
 *
 * @param member    Hazelcast member UUID, so survivors can map a departed member to its record ("" if none)
 * @param url       HTTP URL peers call for offloads
 * @param seq       increases with every write by this node's current process
 * @param writtenAt wall-clock ms of the write (the writer's clock; readers derive the age from it)
 */
public record NodeRecord(String id, String member, String role, String site, String url, String build,
    boolean draining, long seq, long writtenAt, List<Model> models) {

  public static final int MAX_MODELS = 256;
  static final int MAX_TEXT = 64;
  static final int MAX_URL = 512;
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
  private static final Pattern TEXT = Pattern.compile("[\\x20-\\x7e]{0," + MAX_TEXT + "}");
  private static final Pattern URL = Pattern.compile("https?://[\\x21-\\x7e]{1," + MAX_URL + "}");

  /**
   * One model version on the node and its load (DESIGN §6.1 feeds on these).
   *
   * @param sha256     digest of the model bytes; "" when the version never loaded
   * @param serviceUs  EWMA time of one batch, µs
   * @param batchRows  EWMA rows per batch
   * @param estimateUs the node's own estimate for a new request, µs
   * @param succeeded  requests this version answered here since it loaded (canary analysis reads these three)
   * @param failed     requests that reached this version here and failed
   * @param p99Us      99th percentile of those requests' time here, µs (0 before any)
   * @param data       sha256 of the data artifacts bound to this version here, "" when none: peers serve "the
   *                   same version" only when this matches too
   * @param arrivalsPerS requests for the model (any version: each version carries the same figure) that reached
   *                     this node per second, recently (the scaler's demand;
   *                     0 in records of nodes that do not publish it)
   * @param shedPerS     of those, requests per second an edge refused (503) that the cloud could have taken: demand
   *                     the cloud tier did not see
   * @param viaUs        on a node that may forward onward (a regional node): what a request sent here costs from its
   *                     arrival, min(served here, forwarded to its best higher-tier node), µs; 0 = not published
   *                     (a cloud node, no onward candidate, or an older node)
   */
  public record Model(String name, String version, String sha256, boolean ready, int workers, int queued,
      int inflight, double serviceUs, double batchRows, double estimateUs, long succeeded, long failed,
      double p99Us, String data, double arrivalsPerS, double shedPerS, double viaUs) {

    /** A model entry without an onward figure (every node that never forwards). */
    public Model(String name, String version, String sha256, boolean ready, int workers, int queued, int inflight,
        double serviceUs, double batchRows, double estimateUs, long succeeded, long failed, double p99Us,
        String data, double arrivalsPerS, double shedPerS) {
      this(name, version, sha256, ready, workers, queued, inflight, serviceUs, batchRows, estimateUs, succeeded,
          failed, p99Us, data, arrivalsPerS, shedPerS, 0);
    }

    /** A model entry without outcome figures, bound data or demand (records of older nodes read as this). */
    public Model(String name, String version, String sha256, boolean ready, int workers, int queued, int inflight,
        double serviceUs, double batchRows, double estimateUs) {
      this(name, version, sha256, ready, workers, queued, inflight, serviceUs, batchRows, estimateUs, 0, 0, 0, "");
    }

    /** A model entry without demand figures. */
    public Model(String name, String version, String sha256, boolean ready, int workers, int queued, int inflight,
        double serviceUs, double batchRows, double estimateUs, long succeeded, long failed, double p99Us,
        String data) {
      this(name, version, sha256, ready, workers, queued, inflight, serviceUs, batchRows, estimateUs, succeeded,
          failed, p99Us, data, 0, 0);
    }

    /** A model entry with demand figures but without outcome figures or bound data. */
    public Model(String name, String version, String sha256, boolean ready, int workers, int queued, int inflight,
        double serviceUs, double batchRows, double estimateUs, double arrivalsPerS, double shedPerS) {
      this(name, version, sha256, ready, workers, queued, inflight, serviceUs, batchRows, estimateUs, 0, 0, 0, "",
          arrivalsPerS, shedPerS);
    }

    public Model {
      if (!Artifact.validName(name) || !Artifact.validVersion(version)) {
        throw new IllegalArgumentException("bad model name or version");
      }
      if (!sha256.isEmpty() && !Artifact.validSha256(sha256) || ready && sha256.isEmpty()) {
        throw new IllegalArgumentException("bad sha256 for " + name + "/" + version);
      }
      if (workers < 0 || queued < 0 || inflight < 0) {
        throw new IllegalArgumentException("negative load for " + name + "/" + version);
      }
      if (succeeded < 0 || failed < 0 || data == null || !data.isEmpty() && !Artifact.validSha256(data)) {
        throw new IllegalArgumentException("bad outcome counts or data digest for " + name + "/" + version);
      }
      for (double d : new double[] {serviceUs, batchRows, estimateUs, p99Us, arrivalsPerS, shedPerS, viaUs}) {
        if (!Double.isFinite(d) || d < 0 || d > 1e12) {
          throw new IllegalArgumentException("load figure out of range for " + name + "/" + version);
        }
      }
    }

    boolean serves(String model, String ver, String sha) {
      return ready && name.equals(model) && version.equals(ver) && sha256.equals(sha);
    }

    /** Requests that reached this version here, answered or failed. */
    public long requests() {
      return succeeded + failed;
    }
  }

  public NodeRecord {
    if (!validId(id)) {
      throw new IllegalArgumentException("bad node id");
    }
    if (!TEXT.matcher(member).matches() || !TEXT.matcher(site).matches() || !TEXT.matcher(build).matches()) {
      throw new IllegalArgumentException("member, site or build too long or not printable ASCII");
    }
    if (!"edge".equals(role) && !"regional".equals(role) && !"cloud".equals(role)) {
      throw new IllegalArgumentException("role must be edge, regional or cloud");
    }
    if (!URL.matcher(url).matches()) {
      throw new IllegalArgumentException("url must be http(s)://..., at most " + MAX_URL + " characters");
    }
    if (seq < 0 || writtenAt < 0) {
      throw new IllegalArgumentException("seq and writtenAt must not be negative");
    }
    if (models.size() > MAX_MODELS) {
      throw new IllegalArgumentException("more than " + MAX_MODELS + " models");
    }
    models = List.copyOf(models);
  }

  /** True if this node reports {@code model/version} ready with exactly these bytes. */
  public boolean serves(String model, String version, String sha256) {
    return models.stream().anyMatch(m -> m.serves(model, version, sha256));
  }

  /** The digest of the data bound to {@code model/version} here, "" when none or not listed. */
  public String data(String model, String version) {
    return models.stream().filter(m -> m.name().equals(model) && m.version().equals(version)).map(Model::data)
        .findFirst().orElse("");
  }

  /** The same record, re-stamped. */
  NodeRecord withWrite(String memberId, boolean drain, long seqNo, long at) {
    return new NodeRecord(id, memberId, role, site, url, build, drain, seqNo, at, models);
  }

  static boolean validId(String s) {
    return s != null && ID.matcher(s).matches();
  }
}
