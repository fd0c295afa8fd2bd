package io.coedge.bench;

/** What became of one request; stored as a byte per request. */
enum Outcome {
  PENDING, OK, CLIENT_ERROR, OVERLOADED, OTHER_STATUS, TIMEOUT, CONNECTION_ERROR, DROPPED;

  private static final Outcome[] ALL = values();

  static Outcome ofStatus(int status) {
    if (status >= 200 && status < 300) {
      return OK;
    }
    if (status == 503) {
      return OVERLOADED;
    }
    return status >= 400 && status < 500 ? CLIENT_ERROR : OTHER_STATUS;
  }

  static Outcome of(byte code) {
    return ALL[code];
  }

  byte code() {
    return (byte) ordinal();
  }
}
