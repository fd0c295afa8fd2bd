package io.coedge.bench;

import io.coedge.config.ScaleConfig;
import io.coedge.scaling.ModelDemand;
import io.coedge.scaling.Scaler;
import io.coedge.scaling.Sizing;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Set;

/**
 * Elastic scaling policies on a square-wave load, in simulated time (1 s steps), so that three policies meet the
 * very same load: Coedge's {@link Scaler} (the real class, fed what the nodes would publish: a 5 s arrival rate),
 * a fixed-size cluster (at the peak's and at the mean's size), and the HPA's CPU rule ({@code desired =
 * ceil(current × cpu / target)} every 15 s, 10 % tolerance, scale-up at most max(4, 100 %) per 15 s, 300 s
 * scale-down window), where a node's CPU reads at most 100 %. A node asked for serves after {@code --start-s}.
 * Demand a node cannot take at utilisation 1 goes to paid offload (counted). Prints one JSON line per policy
 * ({@code first_step_to_objective_s} -1: never within the high phase); {@code -Dscalesim.trace=true} prints each
 * change of the node count asked for.
 * usage: ScaleSim [--service-ms 40] [--workers 2] [--objective-ms 0] [--target 0.7] [--period-s 1200]
 *        [--hours 2] [--start-s 20] [--low 0.5] [--high 3]   (low/high: × one node's capacity)
 */
public final class ScaleSim {

  private interface Policy {
    /** Nodes wanted at second {@code t}, given the arrival rate of the last 5 s and the nodes serving now. */
    int desired(long t, double rate5s, int ready);
  }

  public static void main(String[] args) {
    BenchArgs a = new BenchArgs(args, Set.of("service-ms", "workers", "objective-ms", "target", "period-s", "hours",
        "start-s", "low", "high"));
    double serviceUs = a.number("service-ms", 40, 0.1, 10_000) * 1000;
    int workers = a.integer("workers", 2, 1, 64);
    long objectiveUs = (long) (a.number("objective-ms", 0, 0, 600_000) * 1000);
    double target = a.number("target", 0.7, 0.05, 1);
    int period = a.integer("period-s", 1200, 10, 86_400);
    int seconds = (int) (a.number("hours", 2, 0.01, 48) * 3600);
    int start = a.integer("start-s", 20, 0, 3600);
    double mu = workers * 1e6 / serviceUs;
    double low = a.number("low", 0.5, 0, 100) * mu;
    double high = a.number("high", 3, 0, 100) * mu;
    Load load = t -> (t % period) < period / 2 ? low : high;
    int peak = Sizing.nodesFor(high, serviceUs, workers, serviceUs, objectiveUs, target, 1000);
    int mean = Sizing.nodesFor((low + high) / 2, serviceUs, workers, serviceUs, objectiveUs, target, 1000);
    ScaleConfig config = new ScaleConfig("none", List.of(), 60, target, 300, 1, 1000, 0, 5000);
    long[] clock = {0};
    Scaler scaler = new Scaler(config, 0, () -> clock[0]);
    Policy coedge = (t, rate, ready) -> {
      if (t % 5 != 0) {
        return -1; // evaluates every scale.interval-ms = 5 s
      }
      clock[0] = t * 1000;
      int want = Sizing.nodesFor(rate, serviceUs, workers, serviceUs, objectiveUs, target, 1000);
      return scaler.decide(List.of(new ModelDemand("m", rate, serviceUs, serviceUs, workers, ready, objectiveUs,
          want)), ready).desired();
    };
    String common = String.format("\"mu_per_node\":%.1f,\"low\":%.1f,\"high\":%.1f,\"period_s\":%d,\"start_s\":%d",
        mu, low, high, period, start);
    for (Object[] p : new Object[][] {{"coedge", coedge}, {"fixed-peak", fixed(peak)}, {"fixed-mean", fixed(mean)},
        {"hpa-cpu", hpa(target, mu)}}) {
      Result r = run((Policy) p[1], load, seconds, start, mu, serviceUs, workers, objectiveUs, target);
      System.out.println("{\"policy\":\"" + p[0] + "\"," + common + "," + r.json() + "}");
    }
  }

  private interface Load {
    double at(long t);
  }

  private static Policy fixed(int n) {
    return (t, rate, ready) -> n;
  }

  /** The HPA's CPU rule: the CPU a node shows saturates at 100 %, whatever the queue behind it. */
  private static Policy hpa(double target, double mu) {
    Deque<long[]> window = new ArrayDeque<>();
    int[] last = {1};
    return (t, rate, ready) -> {
      if (t % 15 != 0) {
        return -1;
      }
      double cpu = ready == 0 ? 1 : Math.min(1, rate / (ready * mu));
      int rec = Math.abs(cpu / target - 1) <= 0.1 ? ready : (int) Math.ceil(Math.max(1, ready) * cpu / target);
      rec = Math.min(rec, Math.max(ready + 4, 2 * ready));
      window.addLast(new long[] {t, rec});
      while (window.peekFirst()[0] < t - 300) {
        window.removeFirst();
      }
      int highest = (int) window.stream().mapToLong(w -> w[1]).max().orElse(rec);
      last[0] = rec >= last[0] ? rec : Math.min(last[0], highest);
      return Math.max(1, last[0]);
    };
  }

  private record Result(double overNodeMin, double underNodeMin, double offloadedReq, double stepToMetS,
      double offloadedDuringStep, double servedByNewDuringStep, double nodeMinutes) {
    String json() {
      return String.format("\"over_node_min\":%.1f,\"under_node_min\":%.1f,\"node_min\":%.1f,\"offloaded_req\":%.0f,"
          + "\"first_step_to_objective_s\":%.0f,\"first_step_offloaded_req\":%.0f,\"first_step_new_nodes_req\":%.0f",
          overNodeMin, underNodeMin, nodeMinutes, offloadedReq, stepToMetS, offloadedDuringStep,
          servedByNewDuringStep);
    }
  }

  private static Result run(Policy policy, Load load, int seconds, int startS, double mu, double serviceUs,
      int workers, long objectiveUs, double target) {
    Deque<Long> starting = new ArrayDeque<>(); // second each started node becomes ready
    int ready = Math.max(1, policy.desired(0, load.at(0), 1));
    double[] recent = new double[5];
    double over = 0;
    double under = 0;
    double offloaded = 0;
    double nodeSeconds = 0;
    long firstStep = -1;
    long met = -1;
    boolean stepEnded = false;
    double stepOffloaded = 0;
    double stepNew = 0;
    int before = ready;
    for (long t = 0; t < seconds; t++) {
      while (!starting.isEmpty() && starting.peekFirst() <= t) {
        starting.removeFirst();
        ready++;
      }
      double lambda = load.at(t);
      recent[(int) (t % 5)] = lambda;
      double rate = 0;
      for (double r : recent) {
        rate += r / 5;
      }
      int needed = Math.max(1, Sizing.nodesFor(lambda, serviceUs, workers, serviceUs, objectiveUs, target, 1000));
      over += Math.max(0, ready - needed) / 60.0;
      under += Math.max(0, needed - ready) / 60.0;
      nodeSeconds += ready + starting.size(); // a starting node is paid for too
      double excess = Math.max(0, lambda - ready * mu);
      offloaded += excess;
      if (firstStep < 0 && t > 0 && lambda > load.at(t - 1)) {
        firstStep = t;
        before = ready;
      }
      if (firstStep >= 0 && met < 0 && !stepEnded) {
        if (lambda < load.at(firstStep)) {
          stepEnded = true; // the high phase ended before the objective was met: never
        } else if (ready >= needed) {
          met = t;
        } else {
          stepOffloaded += excess;
          stepNew += Math.max(0, Math.min(lambda, ready * mu) - before * mu);
        }
      }
      int want = policy.desired(t, rate, ready);
      if (want >= 0 && Boolean.getBoolean("scalesim.trace") && want != ready + starting.size()) {
        System.err.println("t=" + t + " ready=" + ready + " starting=" + starting.size() + " want=" + want);
      }
      if (want >= 0) {
        int total = ready + starting.size();
        for (int i = total; i < want; i++) {
          starting.addLast(t + startS);
        }
        for (int i = want; i < total && ready > 1; i++) {
          if (!starting.isEmpty()) {
            starting.removeLast();
          } else {
            ready--; // drained, then stopped: the simulation takes drain time as 0
          }
        }
      }
    }
    return new Result(over, under, offloaded, firstStep < 0 || met < 0 ? -1 : met - firstStep, stepOffloaded,
        stepNew, nodeSeconds / 60.0);
  }
}
