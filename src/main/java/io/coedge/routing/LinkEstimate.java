package io.coedge.routing;

import java.util.Arrays;

/**
 * What this node has learnt about the network path to one cloud node: round-trip time and the time per byte
 * moved (one figure for both directions: a request's observation cannot tell upload from download apart).
 * Fed by probes (a round trip with almost no bytes) and by offloaded requests (their observed time minus
 * the peer's reported queue and compute time). Each figure is the median of its last {@value #WINDOW}
 * samples: a connection set-up or a GC pause does not poison it, and it follows a changed link within a
 * few samples. Not thread-safe; {@link PeerState} guards it.
 */
final class LinkEstimate {

  static final int WINDOW = 9;
  /** Below this, a transfer says more about the round trip than about bandwidth. */
  static final long SMALL_BYTES = 16 * 1024;

  private final Median rtt = new Median();
  private final Median perByte = new Median();
  private final double defaultRttUs;
  private final double defaultUsPerByte;

  /** The median of the last {@value #WINDOW} samples. */
  private static final class Median {
    final double[] ring = new double[WINDOW];
    int count;

    void add(double v) {
      ring[count++ % WINDOW] = v;
    }

    double value(double dflt) {
      int n = Math.min(count, WINDOW);
      if (n == 0) {
        return dflt;
      }
      double[] s = Arrays.copyOf(ring, n);
      Arrays.sort(s);
      return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
  }

  LinkEstimate(double defaultRttUs, double defaultBandwidthMbps) {
    this.defaultRttUs = defaultRttUs;
    this.defaultUsPerByte = usPerByte(defaultBandwidthMbps);
  }

  static double usPerByte(double mbps) {
    return 8.0 / mbps; // 1 Mbit/s moves one bit per µs
  }

  /** A timed round trip carrying almost nothing (a health probe). */
  void probe(double roundTripUs) {
    rtt.add(Math.max(0, roundTripUs));
  }

  /** An offloaded request: {@code bytes} moved in both directions took {@code networkUs} beyond the peer's work. */
  void transfer(long bytes, double networkUs) {
    networkUs = Math.max(0, networkUs);
    if (bytes < SMALL_BYTES) {
      probe(networkUs - bytes * usPerByte());
    } else {
      perByte.add(Math.max(0, networkUs - rttUs()) / bytes);
    }
  }

  /** Expected network time of a request sending {@code bytesIn} and receiving {@code bytesOut}, µs. */
  double networkUs(long bytesIn, long bytesOut) {
    return rttUs() + (bytesIn + bytesOut) * usPerByte();
  }

  double rttUs() {
    return rtt.value(defaultRttUs);
  }

  double usPerByte() {
    return perByte.value(defaultUsPerByte);
  }
}
