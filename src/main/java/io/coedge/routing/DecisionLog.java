package io.coedge.routing;

/** The one FINE log line per request that says what a decision was made from and where it sent the request. */
final class DecisionLog {

  private DecisionLog() {
  }

  static String explain(Flow f, Decision d) {
    OffloadPolicy.Situation s = f.situation();
    StringBuilder b = new StringBuilder().append(Flow.requestId(f.call().request().id())).append(' ').append(f.name()).append('/')
        .append(f.model().view().version()).append(" policy=").append(s.policy().configName()).append(" hops=")
        .append(f.call().hops()).append(" slo=").append(s.sloUs()).append(" local=").append(Math.round(s.localUs()))
        .append(" candidates=[");
    for (CostModel.Estimate e : s.candidates()) {
      b.append(e.id()).append(':').append(Math.round(e.estimateUs())).append("us/net ")
          .append(Math.round(e.networkUs())).append("/pending ").append(e.pending()).append("/price ")
          .append(e.price()).append(' ');
    }
    return b.append("] -> ").append(d.target()).append(" (").append(d.reason()).append(')').toString();
  }
}
