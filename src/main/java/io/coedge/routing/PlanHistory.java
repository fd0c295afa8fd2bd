package io.coedge.routing;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What each plan's answers really took, per model and plan (DESIGN §12 "Every estimate decays or is re-probed"):
 * <ul>
 *   <li>a plan is ranked by the cost model's figure × the median observed ÷ predicted ratio of its last
 *       {@value #WINDOW} answers (within [{@value #MIN_RATIO}, {@value #MAX_RATIO}]), so a choice that proves wrong
 *       — a head slower than measured at load, a link or a tail busier than its figures say — corrects within a few
 *       answers, and one odd answer moves nothing;</li>
 *   <li>a ratio no answer refreshed decays back to 1 (the cost model's own figure) over {@code DECAY_NANOS};</li>
 *   <li>a plan with no answer for {@code STALE_NANOS} (or none yet) is stale: at most one request in
 *       {@value #PROBE_EVERY} takes the stalest stale plan predicted within {@value #PROBE_BAND} × the chosen one's
 *       R, so the choice follows a link or a load that changed while nobody looked. A stale plan is judged by the
 *       cost model's figure when that is lower than its corrected one: its ratio is as old as its last answer and
 *       is what the probe re-checks (a link at 1 Mbit/s left the whole-request plan at the 4x bound, and once the
 *       link was back at 100 Mbit/s that old ratio kept it out of the band, and so unprobed, for most of a
 *       minute). A plan predicted far worse both ways is never probed: a probe must not cost a request more than
 *       the band.</li>
 * </ul>
 * Pure: time comes in as arguments. Thread-safe.
 */
final class PlanHistory {

  static final int WINDOW = 5;
  static final double MIN_RATIO = 0.5;
  static final double MAX_RATIO = 4;
  static final long STALE_NANOS = 2_000_000_000L;
  /**
   * Long against {@code STALE_NANOS}: a plan close to the choice is re-probed long before its ratio fades (a 10 s
   * decay undid the correction of a model asked once every 3 s, and raw figures drove the choice again).
   */
  static final long DECAY_NANOS = 60_000_000_000L;
  static final int PROBE_EVERY = 10;
  static final double PROBE_BAND = 2;

  /** One plan's recent ratios and when it was last answered. */
  private static final class Track {
    final double[] ring = new double[WINDOW];
    int count;
    long lastNanos;

    double median() {
      int n = Math.min(count, WINDOW);
      double[] s = Arrays.copyOf(ring, n);
      Arrays.sort(s);
      return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
  }

  private final Map<String, Track> tracks = new HashMap<>();
  private final Map<String, Integer> sinceProbe = new HashMap<>();

  private static String key(String model, String label) {
    return model + ' ' + label;
  }

  /** The ratio a plan's cost-model figure is multiplied by now: 1 with no answer, decaying to 1 when unrefreshed. */
  synchronized double ratio(String model, String label, long nanos) {
    Track t = tracks.get(key(model, label));
    if (t == null || t.count == 0) {
      return 1;
    }
    double w = Math.exp(-(double) Math.max(0, nanos - t.lastNanos) / DECAY_NANOS);
    return 1 + (t.median() - 1) * w;
  }

  /** Every plan corrected by its ratio (same order). */
  List<Plan> corrected(String model, List<Plan> plans, long nanos) {
    return plans.stream().map(p -> p.corrected(ratio(model, p.label(), nanos))).toList();
  }

  /** An answer of {@code label} took {@code observedUs} where the cost model predicted {@code modelUs}. */
  synchronized void observed(String model, String label, double modelUs, double observedUs, long nanos) {
    if (modelUs <= 0 || observedUs <= 0) {
      return;
    }
    Track t = tracks.computeIfAbsent(key(model, label), k -> new Track());
    t.ring[t.count++ % WINDOW] = Math.max(MIN_RATIO, Math.min(MAX_RATIO, observedUs / modelUs));
    t.lastNanos = nanos;
  }

  /** True when {@code label} has had no answer for {@code STALE_NANOS}, or none at all. */
  synchronized boolean stale(String model, String label, long nanos) {
    Track t = tracks.get(key(model, label));
    return t == null || nanos - t.lastNanos >= STALE_NANOS;
  }

  /**
   * The plan this request should take instead of {@code chosen} to re-probe a stale one, or null: once per
   * {@value #PROBE_EVERY} choices of the model, the least recently answered stale plan predicted within the band.
   */
  synchronized Plan probe(String model, List<Plan> plans, Plan chosen, long nanos) {
    int n = sinceProbe.merge(model, 1, Integer::sum);
    if (n < PROBE_EVERY) {
      return null;
    }
    Plan best = null;
    long oldest = Long.MAX_VALUE;
    for (Plan p : plans) {
      Track t = tracks.get(key(model, p.label()));
      long last = t == null ? Long.MIN_VALUE : t.lastNanos;
      if (!p.label().equals(chosen.label()) && stale(model, p.label(), nanos)
          && Math.min(p.predictedUs(), p.modelUs()) <= PROBE_BAND * chosen.predictedUs() && last < oldest) {
        best = p;
        oldest = last;
      }
    }
    if (best != null) {
      sinceProbe.put(model, 0);
    }
    return best;
  }
}
