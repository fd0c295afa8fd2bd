package io.coedge.rollout;

import io.coedge.cluster.NodeEntry;
import io.coedge.cluster.NodeRecord;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Canary analysis, a pure function of the node table: during a stage that leaves some nodes on the old version,
 * the new version's outcomes on the stage's nodes (the canaries) are compared with the old version's on the rest,
 * from the figures each node publishes per version (requests answered and failed since load, p99). The rollout
 * halts when the canaries' error rate exceeds the old version's by more than {@code halt.maxErrorRate}, or their
 * p99 is more than {@code halt.maxP99Ratio} times the old one. No verdict before the canaries served
 * {@value #MIN_REQUESTS} requests (nor a p99 verdict before the old version did): a few requests say nothing.
 */
public final class CanaryAnalysis {

  static final long MIN_REQUESTS = 50;

  private CanaryAnalysis() {
  }

  /** Requests, failures and a request-weighted p99 over some nodes' entries of one model. */
  private static final class Outcome {
    long requests;
    long failed;
    double p99Weighted;

    void add(NodeRecord.Model m) {
      requests += m.requests();
      failed += m.failed();
      p99Weighted += m.p99Us() * m.requests();
    }

    double errorRate() {
      return requests == 0 ? 0 : (double) failed / requests;
    }

    double p99Us() {
      return requests == 0 ? 0 : p99Weighted / requests;
    }
  }

  /** Why {@code r} must halt at {@code stage}, or empty while the canaries look no worse than allowed. */
  public static Optional<String> verdict(RolloutRecord r, int stage, List<NodeEntry> nodes) {
    List<String> canaries = RolloutPlan.selected(r, stage, nodes);
    Outcome fresh = new Outcome();
    Outcome old = new Outcome();
    boolean rest = false;
    for (NodeEntry n : nodes) {
      if (!n.usable()) {
        continue;
      }
      boolean canary = canaries.contains(n.id());
      for (NodeRecord.Model m : n.record().models()) {
        if (!m.ready() || !m.name().equals(r.model())) {
          continue;
        }
        if (canary && m.version().equals(r.version())) {
          fresh.add(m);
        } else if (!canary && !m.version().equals(r.version())) {
          old.add(m);
          rest = true;
        }
      }
    }
    if (!rest || fresh.requests < MIN_REQUESTS) {
      return Optional.empty(); // nothing left to compare with, or too little seen yet
    }
    RolloutRecord.Halt h = r.halt();
    if (fresh.errorRate() - old.errorRate() > h.maxErrorRate()) {
      return Optional.of(String.format(Locale.ROOT, "canary analysis: error rate %.1f %% (%d of %d) against %.1f %%"
          + " on the old version; allowed %.1f points more", 100 * fresh.errorRate(), fresh.failed, fresh.requests,
          100 * old.errorRate(), 100 * h.maxErrorRate()));
    }
    if (old.requests >= MIN_REQUESTS && old.p99Us() > 0 && fresh.p99Us() > h.maxP99Ratio() * old.p99Us()) {
      return Optional.of(String.format(Locale.ROOT, "canary analysis: p99 %.2f ms is %.1f x the old version's "
          + "%.2f ms; allowed %.1f x", fresh.p99Us() / 1000, fresh.p99Us() / old.p99Us(), old.p99Us() / 1000,
          h.maxP99Ratio()));
    }
    return Optional.empty();
  }
}
