package io.coedge.inference;

/**
 * A snapshot of one model version's queue and service statistics, as published in the node record, and the one
 * estimator of local latency computed from it ({@link #estimateUs()}).
 *
 * @param queued       requests waiting in the queue
 * @param inflightRows rows in batches that are running now
 * @param serviceUs    EWMA time to run one batch of the typical size, µs (0 before the first measured batch;
 *                     a session's first batch is its warm-up and is not measured)
 * @param batchRows    EWMA rows per batch
 * @param workers      worker threads serving the model
 * @param idleUs       µs since a batch last finished (or since the version loaded): how old {@code serviceUs} is
 * @param learntUs     the queueing estimate corrected by what this node's answers recently took (learnt by
 *                     {@link Calibration}: the hand-offs between the event loop and the worker, and what the
 *                     queueing shape misses under load), µs; a negative figure means "not learnt": use
 *                     {@link #queueingUs()}
 */
public record ModelLoad(int queued, int inflightRows, double serviceUs, double batchRows, int workers,
    long idleUs, double learntUs) {

  /** A snapshot with nothing learnt beyond the queueing estimate (peers' published figures, tests). */
  public ModelLoad(int queued, int inflightRows, double serviceUs, double batchRows, int workers, long idleUs) {
    this(queued, inflightRows, serviceUs, batchRows, workers, idleUs, -1);
  }

  /**
   * M/M/k sojourn shape of DESIGN §6.1: {@code W = max(0, batches ahead − k + 1) · S / k}, plus S; 0 when S is
   * unknown.
   */
  public static double sojournUs(int ahead, double batchRows, double serviceUs, int workers) {
    int k = Math.max(1, workers);
    double batchesAhead = Math.ceil(ahead / Math.max(1, batchRows));
    return Math.max(0, batchesAhead - k + 1) * serviceUs / k + serviceUs;
  }

  /**
   * Queueing estimate of a new request's time here, µs (0 before a batch was measured): the sojourn shape
   * above, calibrated for what is known locally: a batch already running has on average half its service time
   * left when a request arrives (measured: counting it whole put the estimate ~50 % above the observed latency
   * near capacity).
   */
  public double queueingUs() {
    double full = sojournUs(queued + inflightRows, batchRows, serviceUs, workers);
    int k = Math.max(1, workers);
    double running = Math.ceil(inflightRows / Math.max(1, batchRows));
    return running >= k ? full - serviceUs / (2.0 * k) : full;
  }

  /**
   * Expected time for a new request to be answered here, µs: the learnt figure when there is one (never below
   * half the queueing estimate), else {@link #queueingUs()}; 0 while no batch was measured.
   */
  public double estimateUs() {
    double q = queueingUs();
    return q == 0 || learntUs < 0 ? q : Math.max(q / 2, learntUs);
  }

  /** Nothing queued and nothing running: no traffic is refreshing {@code serviceUs}. */
  public boolean idle() {
    return queued == 0 && inflightRows == 0;
  }
}
