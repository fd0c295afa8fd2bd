package io.coedge.security;

/**
 * A token bucket's shape.
 *
 * @param perSecond tokens refilled per second (one request costs one token); 0 = unlimited
 * @param burst     bucket size
 */
public record Limit(double perSecond, int burst) {

  public Limit {
    if (!(perSecond >= 0) || Double.isInfinite(perSecond) || burst < 1) {
      throw new IllegalArgumentException("rate must be a finite number ≥ 0 and burst ≥ 1, got " + perSecond + "/"
          + burst);
    }
  }

  public boolean unlimited() {
    return perSecond == 0;
  }
}
