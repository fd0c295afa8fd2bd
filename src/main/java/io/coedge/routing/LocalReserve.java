package io.coedge.routing;

import io.coedge.inference.ModelLoad;

/**
 * What a remote attempt (and its retries) leaves of a request's deadline for answering here should no cloud node
 * answer: without it an attempt on a link that turned slow took the whole deadline, and a request this node could
 * serve became a 503 (fault b: +300 ms on the WAN under requests that prefer the cloud).
 */
final class LocalReserve {

  /** An attempt leaves this many times the local estimate... */
  static final double FACTOR = 2;
  /**
   * ...plus this, µs: the attempt's timer and the fallback's hand-off fire late on a busy box (measured: up to 25 ms),
   * and that lateness comes on top of the local answer's own time, not instead of it.
   */
  static final long SLACK_US = 30_000;

  private LocalReserve() {
  }

  /** The reserve for a request with {@code leftUs} left and this local load. */
  static long keepUs(ModelLoad load, long leftUs) {
    return reserveUs(localUs(load), leftUs);
  }

  /**
   * {@value #FACTOR} × {@code localUs} + {@value #SLACK_US} µs, when that fits in what is left; else 0 (only a remote
   * answer can make it). While the local estimate is unknown (0: every request so far went to the cloud, and a
   * session's first batch is not measured) the slack alone: without it an attempt on a node rated slow took the whole
   * deadline, and a request this node answers in a few ms got a 503 (fault d, both clouds' HTTP cut).
   */
  static long reserveUs(double localUs, long leftUs) {
    long reserve = Math.round(FACTOR * Math.max(0, localUs)) + SLACK_US;
    return reserve < leftUs ? reserve : 0;
  }

  /**
   * The local estimate a request falling back here is held to: one gone stale (nothing ran here for {@link
   * Router#REMEASURE_US}, e.g. while every request went to the cloud) by its queueing shape alone, as the learnt
   * part of it is as old (measured: 238 ms learnt while cold, against 5 ms once requests ran here again).
   */
  static double localUs(ModelLoad load) {
    return Router.remeasure(load) ? load.queueingUs() : load.estimateUs();
  }
}
