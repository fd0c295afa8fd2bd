package io.coedge.inference;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;

/**
 * Direct, native-order input buffers owned by one worker thread and reused batch after batch:
 * allocating a fresh native buffer per call caused long GC pauses at the tail (DESIGN §5).
 */
final class WorkerScratch {

  private final Map<String, ByteBuffer> buffers = new HashMap<>();

  /** A cleared buffer of at least {@code bytes} capacity for {@code key}, grown by doubling. */
  ByteBuffer buffer(String key, int bytes) {
    ByteBuffer b = buffers.get(key);
    if (b == null || b.capacity() < bytes) {
      int cap = Math.max(bytes, b == null ? 64 : Math.min(Integer.MAX_VALUE / 2, b.capacity()) * 2);
      b = ByteBuffer.allocateDirect(cap).order(ByteOrder.nativeOrder());
      buffers.put(key, b);
    }
    b.clear();
    return b;
  }
}
