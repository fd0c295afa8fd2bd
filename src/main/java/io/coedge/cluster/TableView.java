package io.coedge.cluster;

import java.util.List;
import java.util.Optional;

/**
 * What both cluster views answer the same way: reads of the shared tables through one {@link ClusterTable}. A view
 * may refresh its own record before a read ({@link #beforeRead}).
 */
abstract class TableView implements ClusterView {

  protected final String nodeId;
  protected final ClusterTable table;

  TableView(String nodeId, ClusterTable table) {
    this.nodeId = nodeId;
    this.table = table;
  }

  /** Called before every read; {@code perRequest}: a candidate lookup on the request path, to be kept cheap. */
  protected void beforeRead(boolean perRequest) {
  }

  @Override
  public String nodeId() {
    return nodeId;
  }

  @Override
  public List<NodeEntry> nodes() {
    beforeRead(false);
    return table.nodes();
  }

  @Override
  public Optional<NodeEntry> node(String id) {
    beforeRead(false);
    return table.node(id);
  }

  @Override
  public List<NodeEntry> candidates(String model, String version, String sha256) {
    beforeRead(true);
    String data = table.node(nodeId()).map(n -> n.record().data(model, version)).orElse("");
    return table.candidates(model, version, sha256, data);
  }

  /** Read without {@link #beforeRead}: this node's own record is not among them. */
  @Override
  public List<NodeRecord> peers() {
    return table.peers(nodeId);
  }

  @Override
  public VersionSet versions() {
    return table.versions();
  }

  @Override
  public long rejectedRecords() {
    return table.rejected();
  }
}
