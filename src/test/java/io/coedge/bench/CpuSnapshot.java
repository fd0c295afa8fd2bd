package io.coedge.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time used so far by this JVM, by another process (the server under test) and by the whole machine,
 * so that a run can say where the two shared cores went. Linux only; absent values are -1.
 */
record CpuSnapshot(long wallNanos, long selfNanos, long serverNanos, long machineBusyTicks, long machineTotalTicks) {

  /** USER_HZ; 100 on every Linux this runs on ({@code getconf CLK_TCK}). */
  private static final long NANOS_PER_TICK = 10_000_000L;

  static CpuSnapshot take(long serverPid) {
    long self = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
    long[] machine = machineTicks();
    return new CpuSnapshot(System.nanoTime(), self, serverPid > 0 ? processNanos(serverPid) : -1, machine[0], machine[1]);
  }

  /** Cores' worth of CPU this process used between the snapshots (1.0 = one core busy). */
  double selfCores(CpuSnapshot later) {
    return (later.selfNanos - selfNanos) / (double) (later.wallNanos - wallNanos);
  }

  double serverCores(CpuSnapshot later) {
    return serverNanos < 0 || later.serverNanos < 0 ? -1
        : (later.serverNanos - serverNanos) / (double) (later.wallNanos - wallNanos);
  }

  /** Share of all cores that were busy (any process). */
  double machineBusy(CpuSnapshot later) {
    long total = later.machineTotalTicks - machineTotalTicks;
    return total <= 0 ? -1 : (later.machineBusyTicks - machineBusyTicks) / (double) total;
  }

  /**
   * Cores' worth of CPU used by everything else on the machine (other people's builds, tests, emulators):
   * when it is not near 0 the run shared the cores with a third party and its numbers are suspect.
   */
  double otherCores(CpuSnapshot later) {
    double busy = machineBusy(later);
    double server = Math.max(0, serverCores(later));
    return busy < 0 ? -1 : busy * Runtime.getRuntime().availableProcessors() - selfCores(later) - server;
  }

  /** CPU per request in µs (one decimal): cores busy over a window divided by requests per second; -1 if unknown. */
  static double usPerRequest(double cores, double rps) {
    return cores < 0 || rps <= 0 ? -1 : Math.round(cores * 1e6 / rps * 10) / 10.0;
  }

  /**
   * Times the threads of a process went to sleep so far (the sum of {@code voluntary_ctxt_switches} over
   * /proc/PID/task/*&#47;status), -1 when unreadable: per request, the hand-offs and wake-ups of the request path. A
   * count, not a time, so a busy machine does not move it much.
   */
  static long threadSleeps(long pid) {
    if (pid <= 0) {
      return -1;
    }
    long sum = 0;
    try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
      for (Path t : (Iterable<Path>) tasks::iterator) {
        for (String line : Files.readAllLines(t.resolve("status"))) {
          if (line.startsWith("voluntary_ctxt_switches:")) {
            sum += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
          }
        }
      }
      return sum;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** utime + stime of a process, fields 14 and 15 of /proc/PID/stat (after the parenthesised name). */
  private static long processNanos(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * NANOS_PER_TICK;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** {busy, total} jiffies of all cores from the first line of /proc/stat; idle and iowait count as not busy. */
  private static long[] machineTicks() {
    try {
      String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long total = 0;
      for (int i = 1; i < Math.min(f.length, 9); i++) {
        total += Long.parseLong(f[i]);
      }
      long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
      return new long[] {total - idle, total};
    } catch (IOException | RuntimeException e) {
      return new long[] {-1, -1};
    }
  }
}
