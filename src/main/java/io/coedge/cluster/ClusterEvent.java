package io.coedge.cluster;

/**
 * A change in the shared picture that may change a routing decision. Load figures that move every
 * publish interval are not events; read them when deciding.
 *
 * @param id a node id for NODE_* events, a version key ({@code kind/name/version/sha256}) for VERSION_*
 */
public record ClusterEvent(Type type, String id) {

  public enum Type {
    /** A node's record became fresh (new node, restart, or back after being stale). */
    NODE_UP,
    /** A fresh node changed its URL, its draining flag or its set of ready model versions. */
    NODE_CHANGED,
    /** A node's record went stale or was removed. */
    NODE_DOWN,
    VERSION_ADDED,
    VERSION_REMOVED
  }
}
