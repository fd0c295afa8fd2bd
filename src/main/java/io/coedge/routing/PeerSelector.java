package io.coedge.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntUnaryOperator;
import java.util.logging.Logger;

/**
 * Chooses among cloud candidates without herding (DESIGN §6.3): power of two choices on
 * {@code peakEWMA(latency) × (pending_est + 1)}; a node that keeps failing is ejected for 30 s × n (at most
 * 300 s; the base is {@code offload.eject-base-ms}), but never more than 10 % of the nodes (at least 1) at
 * once. Thread-safe.
 */
public final class PeerSelector {

  private static final Logger LOG = Logger.getLogger(PeerSelector.class.getName());

  private final CostModel model;
  private final RoutingClock clock;
  private final IntUnaryOperator random;
  private final long ejectBaseMs;
  private final Map<String, Boolean> known = new ConcurrentHashMap<>();

  /** {@code random.applyAsInt(n)} returns a uniform int in [0, n); injected so tests are deterministic. */
  public PeerSelector(CostModel model, RoutingClock clock, IntUnaryOperator random, long ejectBaseMs) {
    this.ejectBaseMs = ejectBaseMs;
    this.model = model;
    this.clock = clock;
    this.random = random;
  }

  /**
   * The candidates that are not ejected now, nor silent (their last two calls failed within 2 s, one of them with no
   * answer: a hung node or a cut link before five failures eject it; while the cost model still rates it within the
   * objective, every request sent there waited most of its deadline for nothing); one back from an ejection is left
   * out of a share of the calls that shrinks to none over its probation (slow start), so it is tried with a little
   * traffic first.
   */
  public List<CostModel.Estimate> eligible(List<CostModel.Estimate> candidates) {
    long now = clock.millis();
    long nanos = clock.nanos();
    List<CostModel.Estimate> out = new ArrayList<>(candidates.size());
    for (CostModel.Estimate e : candidates) {
      known.put(e.id(), Boolean.TRUE);
      PeerState p = model.peer(e.id());
      if (p.silent(nanos)) {
        continue;
      }
      double share = p.probation(now);
      if (share >= 1 || share > 0 && random.applyAsInt(1000) < share * 1000) {
        out.add(e);
      }
    }
    return out;
  }

  /** Power of two choices over {@code pool}; null when it is empty. */
  public CostModel.Estimate pick(List<CostModel.Estimate> pool) {
    if (pool.isEmpty()) {
      return null;
    }
    if (pool.size() == 1) {
      return pool.get(0);
    }
    int i = random.applyAsInt(pool.size());
    int j = random.applyAsInt(pool.size() - 1);
    if (j >= i) {
      j++;
    }
    CostModel.Estimate a = pool.get(i);
    CostModel.Estimate b = pool.get(j);
    return score(a) <= score(b) ? a : b;
  }

  /** {@code peakEWMA(latency) × (pending + 1)}; the latency prior is the model's network + service time. */
  public double score(CostModel.Estimate e) {
    double prior = e.networkUs() + e.serviceUs();
    return model.peer(e.id()).peakUs(prior, clock.nanos()) * (e.pending() + 1);
  }

  /** Marks a request sent to {@code nodeId}, so its pending estimate counts it until {@link #done}. */
  public void sent(String nodeId, long seq) {
    model.peer(nodeId).sent(seq, clock.millis(), clock.nanos());
  }

  public void done(String nodeId, long seq) {
    model.peer(nodeId).done(seq);
  }

  /**
   * A failed call to {@code nodeId}; {@code penalise} for 429/503/5xx and no answer. Ejects after
   * {@value PeerState#FAILURES_TO_EJECT} in a row unless 10 % of the known nodes (at least 1) already are.
   */
  public void failure(String nodeId, boolean penalise) {
    PeerState p = model.peer(nodeId);
    known.put(nodeId, Boolean.TRUE);
    if (p.failure(penalise, clock.nanos(), clock.millis())) {
      long now = clock.millis();
      synchronized (this) {
        int max = Math.max(1, known.size() / 10);
        long ejected = known.keySet().stream().filter(id -> model.peer(id).ejected(now)).count();
        if (ejected < max && !p.ejected(now)) {
          p.eject(now, ejectBaseMs);
          LOG.warning("cloud node " + nodeId + " ejected for " + (p.ejectedUntilMs() - now) / 1000 + " s, until "
              + java.time.Instant.ofEpochMilli(p.ejectedUntilMs()) + " (5 failures in a row, or one on probation)");
        }
      }
    }
  }

  /**
   * Not ejected, and not failing now (its last two calls failed, recently): a node a retry may go to (one that keeps
   * failing, e.g. hangs and is not ejected yet, is where a failed attempt's retry must not go).
   */
  public boolean healthy(String nodeId) {
    PeerState p = model.peer(nodeId);
    return !p.ejected(clock.millis()) && !p.failing(clock.nanos());
  }

  /** Neither ejected nor silent: a node a retry may still go to (see {@link #eligible}). */
  public boolean usable(String nodeId) {
    PeerState p = model.peer(nodeId);
    return !p.ejected(clock.millis()) && !p.silent(clock.nanos());
  }

  /** When {@code nodeId} was last ejected, epoch ms of the injected clock; 0 if never. */
  public long ejectedAtMs(String nodeId) {
    return model.peer(nodeId).ejectedAtMs();
  }

  public boolean ejected(String nodeId) {
    return model.peer(nodeId).ejected(clock.millis());
  }
}
