package io.coedge.routing;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything this node tracks about one cloud node: its link, a peak-EWMA of observed latency, the requests
 * it has in flight there (to correct the peer's published queue), and its failure and ejection history.
 * Thread-safe (every method synchronized): routes on several event loops share it.
 */
final class PeerState {

  /** Decay time of the latency peak: a penalty or a slow spell fades back to the model's figure over this. */
  static final long DECAY_NANOS = 2_000_000_000L;
  /** A 429/503/5xx counts as at least this slow (a fast error is not a fast node). */
  static final double PENALTY_US = 1_000_000;
  static final int FAILURES_TO_EJECT = 5;
  /**
   * After an ejection ends, the node's share of the picks it would win ramps from 0 to all over this (slow start), and
   * its first failure ejects it again at once.
   */
  static final long PROBATION_MS = 3_000;
  /** A successful health probe ends the n-th ejection early, once it has lasted n × this. */
  static final long PROBE_READMIT_MS = 1_000;
  static final double ALPHA = 0.2;

  final String id;
  private final LinkEstimate link;
  private final Map<Long, Long> inflight = new LinkedHashMap<>(); // request seq → wall ms when sent
  private double peakUs = -1;
  private long peakAtNanos;
  private double computeUs = -1;
  private int consecutiveFailures;
  private long lastFailureNanos;
  private int ejections;
  private long ejectedUntilMs;
  private long ejectedAtMs;
  private long lastUsedNanos;
  /**
   * The longest round trip an unanswered call proved (µs), since the last answer, ejection or probe answered faster
   * ({@link #answersAgain}); 0 when none went unanswered since.
   */
  private double unansweredUs;
  /** When the link's bandwidth was last measured (a large transfer); 0 = never. */
  private long lastTransferNanos;

  PeerState(String id, LinkEstimate link) {
    this.id = id;
    this.link = link;
  }

  synchronized void sent(long seq, long wallMs, long nanos) {
    inflight.put(seq, wallMs);
    lastUsedNanos = nanos;
  }

  synchronized void done(long seq) {
    inflight.remove(seq);
  }

  /** Requests this node sent there after {@code writtenAtMs} that have not come back: unseen by that record. */
  synchronized int sentSince(long writtenAtMs) {
    int n = 0;
    for (Iterator<Long> it = inflight.values().iterator(); it.hasNext(); ) {
      if (it.next() >= writtenAtMs) {
        n++;
      }
    }
    return n;
  }

  synchronized int inflight() {
    return inflight.size();
  }

  /** A successful answer: observed latency, the peer's own queue + compute time, bytes both ways. */
  synchronized void success(double observedUs, double peerQueueUs, double peerComputeUs, long bytes, long nanos) {
    transfer(bytes, observedUs - peerQueueUs - peerComputeUs, nanos);
    computeUs = computeUs < 0 ? peerComputeUs : computeUs + ALPHA * (peerComputeUs - computeUs);
    observe(observedUs, nanos);
    consecutiveFailures = 0;
    unansweredUs = 0;
  }

  /**
   * A failed call. {@code penalise}: the peer answered 429/503/5xx or did not answer at all. Returns true
   * when this failure reaches the ejection threshold (the caller decides whether the cap allows it).
   */
  synchronized boolean failure(boolean penalise, long nanos, long wallMs) {
    if (penalise) {
      observe(PENALTY_US, nanos);
    }
    consecutiveFailures++;
    lastFailureNanos = nanos;
    return consecutiveFailures >= FAILURES_TO_EJECT || penalise && probation(wallMs) < 1;
  }

  /**
   * Ejects for base × n (n = how many times it has been ejected), at most 10 × base. As in Envoy, n drops by one for
   * every base time the node stayed in since its last ejection: spells of failure long apart do not add up.
   */
  synchronized void eject(long wallMs, long baseMs) {
    if (ejections > 0 && wallMs > ejectedUntilMs) {
      ejections = (int) Math.max(0, ejections - (wallMs - ejectedUntilMs) / baseMs);
    }
    ejections++;
    ejectedAtMs = wallMs;
    ejectedUntilMs = wallMs + Math.min(10 * baseMs, baseMs * ejections);
    consecutiveFailures = 0;
    unansweredUs = 0;
    peakUs = -1; // back from ejection, it starts from the model's figure, not from its penalties
  }

  /**
   * Its last two calls failed, the last less than {@value #DECAY_NANOS} ns ago: no answer between them (one failure
   * alone is what a busy node gives now and then; a hung one fails every call in flight to it).
   */
  synchronized boolean failing(long nanos) {
    return consecutiveFailures >= 2 && nanos - lastFailureNanos < DECAY_NANOS;
  }

  /**
   * Failing ({@link #failing}) with at least one of those calls unanswered (not a 429/503 answer): silent, as a hung
   * node or a cut link is. A silent node is no candidate (see {@link PeerSelector#eligible}).
   */
  synchronized boolean silent(long nanos) {
    return unansweredUs > 0 && failing(nanos);
  }

  synchronized long ejectedAtMs() {
    return ejectedAtMs;
  }

  synchronized boolean ejected(long wallMs) {
    return wallMs < ejectedUntilMs;
  }

  synchronized long ejectedUntilMs() {
    return ejectedUntilMs;
  }

  /**
   * Share of the picks this node may take now: 0 while ejected, then rising linearly to 1 over
   * {@value #PROBATION_MS} ms after the ejection ended; 1 for a node never ejected.
   */
  synchronized double probation(long wallMs) {
    if (ejections == 0 || wallMs >= ejectedUntilMs + PROBATION_MS) {
      return 1;
    }
    return wallMs < ejectedUntilMs ? 0 : Math.max(0.05, (double) (wallMs - ejectedUntilMs) / PROBATION_MS);
  }

  /**
   * A health probe answered: an ejection that has lasted n × {@value #PROBE_READMIT_MS} ms (the n-th) ends now, and
   * the node enters probation. True when it did.
   */
  synchronized boolean probeAnswered(long wallMs) {
    if (wallMs < ejectedUntilMs && wallMs - ejectedAtMs >= PROBE_READMIT_MS * ejections) {
      ejectedUntilMs = wallMs;
      return true;
    }
    return false;
  }

  synchronized void probe(double roundTripUs) {
    link.probe(roundTripUs);
  }

  /**
   * A call that got no answer: its round trip took at least {@code atLeastUs} (what was waited less the peer's
   * predicted work), a sample when that is more than the link's figure. Without it a link that turned slow kept its
   * old round trip (only answers and idle probes taught it), so the cost model kept choosing the node. Until an answer
   * or a faster probe contradicts it, the link is also taken to be at least that slow ({@link #networkUs}): the
   * median of the samples moves only after about five of them, and each one cost a request most of its deadline.
   */
  synchronized void unanswered(double atLeastUs) {
    unansweredUs = Math.max(unansweredUs, Math.max(1, atLeastUs));
    if (atLeastUs > link.rttUs()) {
      link.probe(atLeastUs);
    }
  }

  /**
   * A health probe answered a node that is not ejected but whose last calls went unanswered (a hang shorter than
   * the probes take to eject it, e.g. a long pause), in {@code roundTripUs}, less than those calls waited: what they
   * taught is contradicted, so their failure streak and latency penalty are dropped and the node starts again from
   * the cost model's figure. Without it the node, avoided by the picks after its first unanswered call, got no
   * traffic until the penalty decayed (10-15 s), since only its calls could refresh it. A probe as slow as the calls
   * (a link that turned slow) changes nothing, nor do penalties from answers (429/503/5xx). True when it did.
   */
  synchronized boolean answersAgain(long wallMs, double roundTripUs) {
    if (unansweredUs <= 0 || roundTripUs >= unansweredUs || ejected(wallMs)) {
      return false;
    }
    unansweredUs = 0;
    consecutiveFailures = 0;
    peakUs = -1;
    return true;
  }

  /** {@code bytes} moved took {@code networkUs} on the wire (an offloaded request, or a bandwidth probe). */
  synchronized void transfer(long bytes, double networkUs, long nanos) {
    link.transfer(bytes, networkUs);
    if (bytes >= LinkEstimate.SMALL_BYTES) {
      lastTransferNanos = nanos;
    }
  }

  synchronized long lastTransferNanos() {
    return lastTransferNanos;
  }

  /** The link's figure for these bytes, and at least the round trip an unanswered call proved since (see above). */
  synchronized double networkUs(long bytesIn, long bytesOut) {
    return Math.max(link.networkUs(bytesIn, bytesOut), unansweredUs);
  }

  synchronized double rttUs() {
    return Math.max(link.rttUs(), unansweredUs);
  }

  /** EWMA of the compute time the peer reported, µs; -1 before the first answer. */
  synchronized double computeUs() {
    return computeUs;
  }

  synchronized long lastUsedNanos() {
    return lastUsedNanos;
  }

  /**
   * Peak-EWMA latency: jumps to a higher sample at once, then decays towards {@code modelUs} (the cost
   * model's prediction) with time; {@code modelUs} alone before any sample.
   */
  synchronized double peakUs(double modelUs, long nanos) {
    if (peakUs < 0) {
      return modelUs;
    }
    double w = Math.exp(-(double) Math.max(0, nanos - peakAtNanos) / DECAY_NANOS);
    return modelUs + (peakUs - modelUs) * w;
  }

  private void observe(double us, long nanos) {
    if (peakUs < 0 || us > peakUs) {
      peakUs = us;
    } else {
      double w = Math.exp(-(double) Math.max(0, nanos - peakAtNanos) / DECAY_NANOS);
      peakUs = peakUs * w + us * (1 - w);
    }
    peakAtNanos = nanos;
  }
}
