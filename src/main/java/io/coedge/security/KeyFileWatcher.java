package io.coedge.security;

import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Holds the current API keys and reloads them when the key file's content changes (checked on a timer, off the
 * event loop; the content, not only the modification time, so two writes within one clock tick are seen).
 * A new file that cannot be read, is unfinished (see {@link KeyFile#parseComplete}) or does not parse leaves the old
 * keys in force, is logged once, with why, and shows as {@link #rejected()} until the file on disk can be used again.
 * Logs name key ids only: the file holds hashes, never keys.
 */
public final class KeyFileWatcher implements Supplier<ApiKeys> {

  private static final Logger LOG = Logger.getLogger(KeyFileWatcher.class.getName());

  private final Path file;
  private final AtomicReference<ApiKeys> current = new AtomicReference<>(ApiKeys.NONE);
  private volatile byte[] loadedDigest = new byte[0];
  private volatile byte[] rejectedDigest = new byte[0];
  private long timer = -1;

  /** Reads the file now; throws IllegalArgumentException (with what is wrong) when it cannot be used. */
  public KeyFileWatcher(Path file) {
    this.file = file;
    byte[] bytes = readBytes();
    current.set(KeyFile.parse(bytes, file.toString()));
    loadedDigest = sha256(bytes);
    LOG.info("API keys loaded from " + file + ": " + current.get().ids());
  }

  @Override
  public ApiKeys get() {
    return current.get();
  }

  /** Checks the file every {@code seconds} (0 = never). */
  public void start(Vertx vertx, int seconds) {
    if (seconds > 0) {
      timer = vertx.setPeriodic(seconds * 1000L, id -> vertx.executeBlocking(() -> {
        check();
        return null;
      }, false));
    }
  }

  public void stop(Vertx vertx) {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  /** One check: reload when the content changed and parses; else keep the old keys. */
  void check() {
    byte[] bytes;
    try {
      bytes = readBytes();
    } catch (IllegalArgumentException e) {
      reject(new byte[] {1}, e.getMessage());
      return;
    }
    byte[] digest = sha256(bytes);
    if (Arrays.equals(digest, loadedDigest)) {
      rejectedDigest = new byte[0]; // the file holds the keys in force again
      return;
    }
    if (Arrays.equals(digest, rejectedDigest)) {
      return;
    }
    try {
      ApiKeys keys = KeyFile.parseComplete(bytes, file.toString());
      current.set(keys);
      loadedDigest = digest;
      rejectedDigest = new byte[0];
      LOG.info("API keys reloaded from " + file + ": " + keys.ids());
    } catch (IllegalArgumentException e) {
      reject(digest, e.getMessage());
    }
  }

  /** True while the file on disk differs from the keys in force and cannot be used. */
  public boolean rejected() {
    return rejectedDigest.length > 0;
  }

  private void reject(byte[] digest, String why) {
    if (!Arrays.equals(digest, rejectedDigest)) {
      rejectedDigest = digest;
      LOG.warning("API key file not reloaded, keeping the " + current.get().size() + " keys in force: " + why);
    }
  }

  private byte[] readBytes() {
    try {
      if (Files.size(file) > KeyFile.MAX_BYTES) {
        throw new IllegalArgumentException("key file " + file + " is larger than " + KeyFile.MAX_BYTES + " bytes");
      }
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read key file " + file + ": " + e, e);
    }
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
