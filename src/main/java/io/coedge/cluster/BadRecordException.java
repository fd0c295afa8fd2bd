package io.coedge.cluster;

/** A map entry that failed parsing or bounds: ignored by readers, reported in a rate-limited log line. */
public final class BadRecordException extends Exception {

  public BadRecordException(String message) {
    super(message, null, false, false);
  }
}
