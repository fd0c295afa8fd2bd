package io.coedge.routing;

import java.util.List;

/**
 * Where a request goes first. {@code REMOTE} comes with the pool of cloud candidates the selector picks from
 * (power of two choices); {@code reason} explains the choice in a word or two, for logs and metrics.
 */
public record Decision(Target target, List<CostModel.Estimate> pool, String reason) {

  public enum Target { LOCAL, REMOTE }

  public Decision {
    pool = List.copyOf(pool);
  }

  static Decision local(String reason) {
    return new Decision(Target.LOCAL, List.of(), reason);
  }

  static Decision remote(List<CostModel.Estimate> pool, String reason) {
    return new Decision(Target.REMOTE, pool, reason);
  }

  public boolean remote() {
    return target == Target.REMOTE;
  }
}
