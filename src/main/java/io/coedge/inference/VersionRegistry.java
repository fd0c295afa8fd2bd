package io.coedge.inference;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Every model version this node knows and where it stands: {@code LOADING → READY → DRAINING → UNLOADED}, or
 * {@code FAILED(reason)}. Requests see only READY versions; a request without a version gets the highest of them.
 * Reads are lock-free; changes are serialised on this object.
 */
final class VersionRegistry {

  private static final Comparator<ModelVersion> ORDER =
      Comparator.comparing(ModelVersion::name).thenComparingLong(ModelVersion::versionNumber);

  private final Map<String, ModelVersion> known = new ConcurrentHashMap<>();
  private final Map<String, LoadedVersion> serving = new ConcurrentHashMap<>();
  private final Map<String, LoadedVersion> latest = new ConcurrentHashMap<>();
  private final List<Consumer<ModelVersion>> listeners = new CopyOnWriteArrayList<>();
  private volatile List<ModelVersion> all = List.of();

  static String key(String name, String version) {
    return name + '/' + version;
  }

  void listen(Consumer<ModelVersion> listener) {
    listeners.add(listener);
  }

  /** Every version known, in name then version order. */
  List<ModelVersion> all() {
    return all;
  }

  ModelVersion state(String name, String version) {
    return known.get(key(name, version));
  }

  boolean knows(String name) {
    return all.stream().anyMatch(m -> m.name().equals(name));
  }

  /** The READY version, or null. */
  LoadedVersion serving(String name, String version) {
    return serving.get(key(name, version));
  }

  /** The highest READY version of {@code name}, or null. */
  LoadedVersion latest(String name) {
    return latest.get(name);
  }

  List<LoadedVersion> servingVersions(String name) {
    return serving.values().stream().filter(l -> l.view().name().equals(name)).toList();
  }

  List<LoadedVersion> allServing() {
    return List.copyOf(serving.values());
  }

  /**
   * Records a state that takes no traffic (LOADING, FAILED). While a copy of the version serves (a reload), the index
   * keeps showing it READY, with the reload's failure as its reason.
   */
  synchronized void note(ModelVersion v) {
    LoadedVersion current = serving.get(key(v.name(), v.version()));
    ModelVersion shown = current == null ? v : current.view().withState(ModelVersion.State.READY,
        v.state() == ModelVersion.State.FAILED ? "reload failed: " + v.error() : null);
    known.put(key(v.name(), v.version()), shown);
    changed(v);
  }

  /** A loaded and warmed version starts taking requests; returns the copy of it that it replaces, or null. */
  synchronized LoadedVersion ready(LoadedVersion l) {
    ModelVersion v = l.view();
    LoadedVersion old = serving.put(key(v.name(), v.version()), l);
    known.put(key(v.name(), v.version()), v);
    relatest(v.name());
    changed(v);
    return old;
  }

  /**
   * Stops new requests to a serving version; {@code closed} runs once its last request has answered. The version
   * shows DRAINING until then, and then UNLOADED.
   */
  synchronized boolean retire(String name, String version, Consumer<LoadedVersion> closed) {
    LoadedVersion l = serving.remove(key(name, version));
    if (l == null) {
      return false;
    }
    relatest(name);
    ModelVersion draining = l.view().withState(ModelVersion.State.DRAINING, null);
    known.put(key(name, version), draining);
    changed(draining);
    l.lease().drain(() -> {
      closed.accept(l);
      synchronized (this) {
        if (known.get(key(name, version)) == draining) {
          ModelVersion gone = draining.withState(ModelVersion.State.UNLOADED, null);
          known.put(key(name, version), gone);
          changed(gone);
        }
      }
    });
    return true;
  }

  private void relatest(String name) {
    LoadedVersion best = null;
    for (LoadedVersion l : serving.values()) {
      if (l.view().name().equals(name) && (best == null || l.view().versionNumber() > best.view().versionNumber())) {
        best = l;
      }
    }
    if (best == null) {
      latest.remove(name);
    } else {
      latest.put(name, best);
    }
  }

  private void changed(ModelVersion v) {
    List<ModelVersion> sorted = new ArrayList<>(known.values());
    sorted.sort(ORDER);
    all = List.copyOf(sorted);
    listeners.forEach(c -> c.accept(v));
  }
}
