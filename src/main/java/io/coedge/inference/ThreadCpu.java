package io.coedge.inference;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * The calling thread's CPU time: what a batch cost without the time its thread waited for a core. On a shared box
 * (the gateway, its load and other work on two cores) a batch's wall time is mostly that waiting, which smaller
 * batches do not shorten.
 */
final class ThreadCpu {

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final boolean SUPPORTED = THREADS.isCurrentThreadCpuTimeSupported();

  private ThreadCpu() {
  }

  /** The calling thread's CPU time in ns; wall time where the JVM cannot tell. */
  static long nanos() {
    long cpu = SUPPORTED ? THREADS.getCurrentThreadCpuTime() : -1; // -1 while the JVM has it switched off
    return cpu >= 0 ? cpu : System.nanoTime();
  }
}
