package io.coedge.routing;

/**
 * What this node has learnt about the network path to one cloud node: round-trip time and the time per byte
 * moved (one figure for both directions: a request's observation cannot tell upload from download apart).
 * Fed by probes (a round trip with almost no bytes) and by offloaded requests (their observed time minus
 * the peer's reported queue and compute time). Not thread-safe; {@link PeerState} guards it.
 */
final class LinkEstimate {

  static final double ALPHA = 0.2;
  /** Below this, a transfer says more about the round trip than about bandwidth. */
  static final long SMALL_BYTES = 16 * 1024;

  private double rttUs;
  private double usPerByte;
  private boolean rttLearnt;
  private boolean bandwidthLearnt;

  LinkEstimate(double defaultRttUs, double defaultBandwidthMbps) {
    this.rttUs = defaultRttUs;
    this.usPerByte = usPerByte(defaultBandwidthMbps);
  }

  static double usPerByte(double mbps) {
    return 8.0 / mbps; // 1 Mbit/s moves one bit per µs
  }

  /** A timed round trip carrying almost nothing (a health probe). */
  void probe(double roundTripUs) {
    rttUs = rttLearnt ? rttUs + ALPHA * (roundTripUs - rttUs) : roundTripUs;
    rttLearnt = true;
  }

  /** An offloaded request: {@code bytes} moved in both directions took {@code networkUs} beyond the peer's work. */
  void transfer(long bytes, double networkUs) {
    networkUs = Math.max(0, networkUs);
    if (bytes < SMALL_BYTES) {
      probe(Math.max(0, networkUs - bytes * usPerByte));
      return;
    }
    double sample = Math.max(0, networkUs - rttUs) / bytes;
    usPerByte = bandwidthLearnt ? usPerByte + ALPHA * (sample - usPerByte) : sample;
    bandwidthLearnt = true;
  }

  /** Expected network time of a request sending {@code bytesIn} and receiving {@code bytesOut}, µs. */
  double networkUs(long bytesIn, long bytesOut) {
    return rttUs + (bytesIn + bytesOut) * usPerByte;
  }

  double rttUs() {
    return rttUs;
  }

  double bandwidthMbps() {
    return 8.0 / usPerByte;
  }
}
