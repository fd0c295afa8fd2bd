package io.coedge.routing;

import io.coedge.cluster.NodeEntry;
import io.coedge.cluster.NodeRecord;
import io.coedge.config.OffloadConfig;
import io.coedge.inference.ModelLoad;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Expected completion times and prices of cloud nodes (DESIGN §6.1), all in µs; the local one is
 * {@link ModelLoad#estimateUs()}, the engine's one estimator, with the same sojourn shape. Cloud node j:
 * {@code RTT_j + bytes / BW_j + W_j + S_j}, the link learnt from probes and offloaded requests,
 * {@code W_j, S_j} from the peer's published record corrected by the requests this node sent it since the record
 * was written (for the wait: only those still there when this request arrives). A peer that may forward onward
 * (a regional node) also publishes what a request sent to it costs there, {@code min(local, onward)}; the lesser of
 * that and its local figures is its {@code W_j + S_j} (the route "via" it). Links are this node's own, one per
 * peer: the regional's link to the cloud is in the regional's cost model, never in this one. Thread-safe;
 * time comes from the injected clock.
 */
public final class CostModel {

  /**
   * One cloud node's prediction for one request.
   *
   * @param pending requests ahead of this one there: published queue + in flight + sent by this node since
   */
  public record Estimate(NodeEntry node, double estimateUs, double networkUs, double waitUs, double serviceUs,
      double price, int pending) {

    public String id() {
      return node.id();
    }
  }

  private static final double DEFAULT_RESPONSE_BYTES = 1024;

  private final OffloadConfig config;
  private final RoutingClock clock;
  private final Map<String, PeerState> peers = new ConcurrentHashMap<>();
  private final Map<String, Double> responseBytes = new ConcurrentHashMap<>();

  public CostModel(OffloadConfig config, RoutingClock clock) {
    this.config = config;
    this.clock = clock;
  }

  /** Prediction for sending a request of {@code bytesIn} bytes to {@code node}; null if it lacks the model. */
  public Estimate remote(NodeEntry node, String model, String version, long bytesIn) {
    NodeRecord.Model m = find(node.record(), model, version);
    if (m == null) {
      return null;
    }
    PeerState peer = peer(node.id());
    double service = m.serviceUs() > 0 ? m.serviceUs() : Math.max(0, peer.computeUs());
    int published = m.queued() + m.inflight();
    int pending = published + peer.sentSince(node.record().writtenAt());
    // For the wait, only what will still be there when this request arrives counts: a request sent earlier than
    // one peer sojourn ago is done by then (it arrived that much before this one will). Counting every request
    // on the wire made a fast, batching peer look 3-10 ms slower than it was.
    double sojourn = ModelLoad.sojournUs(published, m.batchRows(), service, m.workers());
    long recent = clock.millis() - (long) Math.ceil(sojourn / 1000);
    int ahead = published + peer.sentSince(Math.max(node.record().writtenAt(), recent));
    double queueAndService = ModelLoad.sojournUs(ahead, m.batchRows(), service, m.workers());
    if (m.viaUs() > 0 && m.viaUs() < queueAndService) {
      queueAndService = m.viaUs(); // a regional node that would send it on: what it costs there (see viaUs)
    }
    long bytesOut = Math.round(responseBytes.getOrDefault(model, DEFAULT_RESPONSE_BYTES));
    double network = peer.networkUs(bytesIn, bytesOut);
    double price = config.price(node.id(), service);
    double served = Math.min(service, queueAndService); // via a regional node: less than its own service time
    return new Estimate(node, network + queueAndService, network, queueAndService - served, served, price, pending);
  }

  /** Learns from an offloaded request that came back: latency observed here and the peer's reported timings. */
  public void observed(String nodeId, String model, double observedUs, double peerQueueUs, double peerComputeUs,
      long bytesIn, long bytesOut) {
    responseBytes.merge(model, (double) bytesOut, (old, b) -> old + PeerState.ALPHA * (b - old));
    peer(nodeId).success(observedUs, peerQueueUs, peerComputeUs, bytesIn + bytesOut, clock.nanos());
  }

  /** No answer in {@code waitedUs} to a call predicted as {@code e}: its round trip was at least that less its work. */
  public void unanswered(Estimate e, double waitedUs) {
    peer(e.id()).unanswered(waitedUs - e.waitUs() - e.serviceUs());
  }

  /** A timed probe of the node's link. */
  public void probed(String nodeId, double roundTripUs) {
    peer(nodeId).probe(roundTripUs);
  }

  /** A timed bandwidth probe: {@code bytes} sent (and a near-empty answer) took {@code roundTripUs}. */
  public void probedTransfer(String nodeId, long bytes, double roundTripUs) {
    peer(nodeId).transfer(bytes, roundTripUs, clock.nanos());
  }

  /** The one-way transfer of {@code bytes} to a node over this node's link: half its round trip plus the bytes, µs. */
  public double oneWayUs(String nodeId, long bytes) {
    PeerState p = peer(nodeId);
    return p.networkUs(bytes, 0) - p.rttUs() / 2;
  }

  /** Round-trip time currently assumed for a node's link, µs. */
  public double rttUs(String nodeId) {
    return peer(nodeId).rttUs();
  }

  PeerState peer(String nodeId) {
    return peers.computeIfAbsent(nodeId,
        id -> new PeerState(id, new LinkEstimate(config.defaultRttMs() * 1000, config.defaultBandwidthMbps())));
  }

  private static NodeRecord.Model find(NodeRecord r, String model, String version) {
    for (NodeRecord.Model m : r.models()) {
      if (m.ready() && m.name().equals(model) && m.version().equals(version)) {
        return m;
      }
    }
    return null;
  }
}
