package io.coedge.cluster;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.EntryListener;
import com.hazelcast.map.MapEvent;
import com.hazelcast.replicatedmap.ReplicatedMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Feeds one replicated map into the {@link ClusterTable}: every local replica change as it happens (so a
 * reader sees a write as soon as it is replicated), plus full rescans that heal anything an event missed.
 * Runs on Hazelcast's event threads; must not block. Keys that are not strings are rejected like bad values.
 */
final class MapFeed implements EntryListener<Object, Object> {

  /** How one map's entries go into the table. */
  interface Sink {
    void put(String key, Object raw);

    void remove(String key);
  }

  private final Sink sink;

  MapFeed(Sink sink) {
    this.sink = sink;
  }

  static MapFeed nodes(ClusterTable table) {
    return new MapFeed(new Sink() {
      public void put(String key, Object raw) {
        table.putNode(key, raw);
      }

      public void remove(String key) {
        table.removeNode(key);
      }
    });
  }

  static MapFeed versions(ClusterTable table) {
    return new MapFeed(new Sink() {
      public void put(String key, Object raw) {
        table.putVersion(key, raw);
      }

      public void remove(String key) {
        table.removeVersion(key);
      }
    });
  }

  /** Reads the whole local replica; returns the string keys seen. */
  Set<String> rescan(ReplicatedMap<Object, Object> map) {
    Set<String> keys = new HashSet<>();
    for (Map.Entry<Object, Object> e : map.entrySet()) {
      String key = e.getKey() instanceof String s ? s : String.valueOf(e.getKey());
      keys.add(key);
      sink.put(key, e.getKey() instanceof String ? e.getValue() : null);
    }
    return keys;
  }

  private void changed(EntryEvent<Object, Object> e) {
    String key = e.getKey() instanceof String s ? s : String.valueOf(e.getKey());
    sink.put(key, e.getKey() instanceof String ? e.getValue() : null);
  }

  private void gone(EntryEvent<Object, Object> e) {
    sink.remove(String.valueOf(e.getKey()));
  }

  @Override
  public void entryAdded(EntryEvent<Object, Object> e) {
    changed(e);
  }

  @Override
  public void entryUpdated(EntryEvent<Object, Object> e) {
    changed(e);
  }

  @Override
  public void entryRemoved(EntryEvent<Object, Object> e) {
    gone(e);
  }

  @Override
  public void entryEvicted(EntryEvent<Object, Object> e) {
    gone(e);
  }

  @Override
  public void entryExpired(EntryEvent<Object, Object> e) {
    gone(e);
  }

  @Override
  public void mapCleared(MapEvent e) {
    // The next rescan (at most a second away) empties the table; nothing to do on this thread.
  }

  @Override
  public void mapEvicted(MapEvent e) {
    // As above.
  }
}
