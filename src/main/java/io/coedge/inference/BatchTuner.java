package io.coedge.inference;

/**
 * Learns, per model version, the batch cap that gives the most throughput while one batch stays within a
 * latency bound, so nobody has to find the batch size by hand (the model's {@code max-batch-size} is the
 * ceiling, not the working point). AIMD over a learnt cost curve, as Clipper does: while demand keeps batches
 * full, the cap doubles for a trial and is kept only if the cost per row falls clearly; a batch slower than the
 * bound halves it. Settled caps are tried again now and then, since a node's load and the model's cost change.
 * Not thread-safe: called under the scheduler's lock.
 */
final class BatchTuner {

  /** Full batches observed at a cap before it is judged. */
  static final int WINDOW = 16;
  /** A doubled cap is kept only if it cuts the cost per row by at least this share. */
  static final double GAIN = 0.08;
  /**
   * Without an objective a batch may take this many times the smallest batch seen (at best a single row), and at
   * least {@link #MIN_BOUND_NANOS}.
   */
  static final int BOUND_FACTOR = 10;
  static final long MIN_BOUND_NANOS = 2_000_000;
  /** Batches after which a settled cap is tried one step up again. */
  static final int REPROBE_AFTER = 4096;
  private static final double ALPHA = 0.25;

  private final int ceiling;
  private final long objectiveNanos;
  /**
   * EWMA time of a full batch at each cap the tuner has used, ns (0 = never seen), indexed by {@link #slot}: only
   * batches that filled the cap shape the curve, so partial batches formed while demand dipped cannot blur it.
   */
  private final double[] fullNanos;
  /** The smallest batch seen (rows) and its EWMA time: the model's own service time, for the bound. */
  private int smallRows = Integer.MAX_VALUE;
  private double smallNanos;
  private int cap;
  /** The cap before the running trial; 0 when no trial runs. */
  private int trialBase;
  private boolean settled;
  private int fullInWindow;
  private long sinceSettled;

  /**
   * @param ceiling        the largest batch allowed (the model's max-batch-size), at least 1
   * @param objectiveNanos the model's latency objective (0 = none): one batch may take at most half of it
   */
  BatchTuner(int ceiling, long objectiveNanos) {
    if (ceiling < 1) {
      throw new IllegalArgumentException("ceiling must be at least 1, was " + ceiling);
    }
    this.ceiling = ceiling;
    this.objectiveNanos = objectiveNanos;
    this.fullNanos = new double[bucket(ceiling) + 2];
    this.cap = Math.min(ceiling, 8);
  }

  /** The largest batch to form now. */
  int cap() {
    return cap;
  }

  int ceiling() {
    return ceiling;
  }

  /**
   * One batch ran. {@code limited}: the cap held it back (more compatible rows were waiting), the only case in
   * which a larger cap could have helped.
   */
  void observe(int rows, long nanos, boolean limited) {
    if (rows < 1 || nanos <= 0) {
      return;
    }
    if (rows < smallRows) {
      smallRows = rows;
      smallNanos = nanos;
    } else if (rows == smallRows) {
      smallNanos += ALPHA * (nanos - smallNanos);
    }
    sinceSettled++;
    if (rows < cap) {
      return;
    }
    int at = slot(cap);
    fullNanos[at] = fullNanos[at] == 0 ? nanos : fullNanos[at] + ALPHA * (nanos - fullNanos[at]);
    if (cap > 1 && fullNanos[at] > boundNanos()) {
      settle(trialBase > 0 ? trialBase : Math.max(1, cap / 2));
      return;
    }
    if (!limited || ++fullInWindow < WINDOW) {
      return;
    }
    fullInWindow = 0;
    if (trialBase > 0) {
      if (rowNanos(cap) <= (1 - GAIN) * rowNanos(trialBase)) {
        trialBase = 0;
        grow();
      } else {
        settle(trialBase);
      }
    } else if (!settled || sinceSettled >= REPROBE_AFTER) {
      grow();
    }
  }

  /**
   * The longest one batch may take: half the objective, else a multiple of the smallest batch's time (the model's
   * own service time; a per-row figure from a large batch would understate it and stop batching at once).
   */
  long boundNanos() {
    if (objectiveNanos > 0) {
      return objectiveNanos / 2;
    }
    return smallRows == Integer.MAX_VALUE ? MIN_BOUND_NANOS
        : Math.max(MIN_BOUND_NANOS, (long) (BOUND_FACTOR * smallNanos));
  }

  private void grow() {
    if (cap >= ceiling) {
      settle(cap);
      return;
    }
    trialBase = cap;
    settled = false;
    cap = Math.min(ceiling, cap * 2);
  }

  private void settle(int at) {
    cap = at;
    trialBase = 0;
    settled = true;
    sinceSettled = 0;
    fullInWindow = 0;
  }

  /**
   * True when a row costs at least twice as much in the smallest batch seen as in a full batch at the cap (a
   * memory-bound model: its weights are read once a batch), so a few rows are better run with the next batch than
   * beside the running one; false until both were measured.
   */
  boolean batchingPays() {
    double full = rowNanos(cap);
    return smallRows < cap && full < Double.POSITIVE_INFINITY && smallNanos / smallRows >= 2 * full;
  }

  /** Cost per row of a full batch at cap {@code rows}; infinite when never measured. */
  private double rowNanos(int rows) {
    double n = fullNanos[slot(rows)];
    return n == 0 ? Double.POSITIVE_INFINITY : n / rows;
  }

  /** Caps are powers of two or the ceiling: one slot each (the ceiling after its power of two). */
  private int slot(int capRows) {
    return bucket(capRows) + (capRows == ceiling && Integer.bitCount(capRows) != 1 ? 1 : 0);
  }

  private static int bucket(int rows) {
    return 31 - Integer.numberOfLeadingZeros(rows);
  }
}
