package io.coedge;

import io.coedge.cluster.Artifact;
import io.coedge.cluster.LocalNode;
import io.coedge.cluster.NodeRecord;
import io.coedge.config.NodeConfig;
import io.coedge.inference.InferenceEngine;
import io.coedge.inference.ModelLoad;
import io.coedge.inference.ModelStatistics;
import io.coedge.inference.ModelVersion;
import io.coedge.scaling.RateMeter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * This node as the cluster sees it: identity from config, models and their load from the inference engine. Lives
 * in the composition root because it joins two packages that do not know each other (cluster, inference).
 */
final class EngineNode implements LocalNode {

  private final NodeConfig node;
  private final String url;
  private final String build;
  private final InferenceEngine engine;
  private final Function<String, String> data;
  private final RateMeter arrivals;
  private final RateMeter shed;
  private final Via via;

  /** What a request sent here costs when this node may forward it onward (the router's figure; 0 = none). */
  interface Via {
    double us(String model, String version, double localUs);
  }

  /**
   * {@code data}: the digest of the data bound to a model here ("" when none), published with its versions;
   * {@code arrivals}, {@code shed}: the demand meters whose rates the record publishes (null: none published);
   * {@code via}: each model's published {@code viaUs}.
   */
  EngineNode(NodeConfig node, String url, String build, InferenceEngine engine, Function<String, String> data,
      RateMeter arrivals, RateMeter shed, Via via) {
    this.via = via;
    this.data = data;
    this.arrivals = arrivals;
    this.shed = shed;
    this.node = node;
    this.url = url;
    this.build = build;
    this.engine = engine;
  }

  @Override
  public String id() {
    return node.id();
  }

  @Override
  public String role() {
    return node.role();
  }

  @Override
  public String site() {
    return node.site();
  }

  @Override
  public String url() {
    return url;
  }

  @Override
  public String build() {
    return build;
  }

  @Override
  public List<NodeRecord.Model> models() {
    List<ModelVersion> all = engine.models();
    List<NodeRecord.Model> out = new ArrayList<>(Math.min(all.size(), NodeRecord.MAX_MODELS));
    for (ModelVersion m : all) {
      if (out.size() == NodeRecord.MAX_MODELS) {
        break; // the record's bound; a repository this large is not an edge box's
      }
      if (!Artifact.validName(m.name()) || !Artifact.validVersion(m.version())) {
        continue; // a folder name the shared tables cannot carry; the model still serves locally
      }
      if (m.ready()) {
        ModelLoad l = engine.load(m.name(), m.version());
        ModelStatistics.Snapshot s = engine.statistics(m.name(), m.version()).stream().findFirst().orElse(null);
        out.add(new NodeRecord.Model(m.name(), m.version(), m.sha256(), true, l.workers(), l.queued(),
            l.inflightRows(), l.serviceUs(), l.batchRows(), l.estimateUs(), s == null ? 0 : s.success().count(),
            s == null ? 0 : s.fail().count(), s == null ? 0 : s.p99Us(), data.apply(m.name()),
            rate(arrivals, m.name()), rate(shed, m.name()), via.us(m.name(), m.version(), l.estimateUs())));
      } else {
        out.add(new NodeRecord.Model(m.name(), m.version(), m.sha256() == null ? "" : m.sha256(), false, 0, 0, 0,
            0, 0, 0));
      }
    }
    return out;
  }

  private static double rate(RateMeter meter, String model) {
    return meter == null ? 0 : meter.perSecond(model);
  }

  @Override
  public List<Artifact> artifacts() {
    return engine.models().stream()
        .filter(m -> m.ready() && Artifact.validName(m.name()) && Artifact.validVersion(m.version()))
        .filter(m -> !io.coedge.inference.SplitParts.isPart(m.name())) // part of its model's version, not one
        .map(m -> Artifact.model(m.name(), m.version(), m.sha256(), m.sizeBytes(), m.manifestSha256(),
            m.signerKeyId())).toList();
  }
}
