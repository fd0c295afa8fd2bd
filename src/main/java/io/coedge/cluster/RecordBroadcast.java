package io.coedge.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.topic.ITopic;
import com.hazelcast.topic.Message;
import com.hazelcast.topic.MessageListener;
import java.util.UUID;

/**
 * A second path for node records that needs no partition owner: each record this node writes to
 * {@value HazelcastClusterView#NODES} is also published on a plain topic, which Hazelcast sends straight to every
 * member. A ReplicatedMap {@code put} runs on the owner of the key's partition: while that member hangs (SIGSTOP, a
 * long pause) the put waits, and every reader would see a healthy writer's record go stale until Hazelcast removes
 * the hung member ({@code cluster.max-no-heartbeat-s}); the edge would stop offloading to a healthy node meanwhile.
 * Readers take the newer of the two copies (the table keeps the latest {@code writtenAt}); the map stays the
 * durable copy (rescans, late joiners, removal when a member leaves). Publishing runs on its own thread, so a
 * stuck put never holds it up.
 */
final class RecordBroadcast implements MessageListener<Object> {

  static final String TOPIC = "coedge.nodes.live";

  private final String nodeId;
  private final ClusterTable table;
  private final HazelcastCalls calls = new HazelcastCalls();
  private volatile ITopic<Object> topic;
  private UUID listener;

  RecordBroadcast(String nodeId, ClusterTable table) {
    this.nodeId = nodeId;
    this.table = table;
  }

  /** Subscribes; called on the cluster view's Hazelcast thread at start. */
  void start(HazelcastInstance hz) {
    ITopic<Object> t = hz.getTopic(TOPIC);
    listener = t.addMessageListener(this);
    topic = t;
  }

  /** Publishes this node's record {@code json}; never blocks the caller, failures are left to the map's path. */
  void publish(String json) {
    ITopic<Object> t = topic;
    if (t != null) {
      calls.call(() -> {
        t.publish(nodeId + '\n' + json);
        return null;
      });
    }
  }

  /** A record from another node, on a Hazelcast event thread: into the table as if read from the map. */
  @Override
  public void onMessage(Message<Object> message) {
    if (message.getMessageObject() instanceof String s) {
      int cut = s.indexOf('\n');
      if (cut > 0 && !s.startsWith(nodeId + '\n')) {
        table.putNode(s.substring(0, cut), s.substring(cut + 1));
      }
    }
  }

  void stop() {
    ITopic<Object> t = topic;
    topic = null;
    if (t != null && listener != null) {
      try {
        t.removeMessageListener(listener);
      } catch (RuntimeException e) { // the member is already gone
      }
    }
    calls.close();
  }
}
